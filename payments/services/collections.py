"""Collections: a shopper's payment, from opening its Monnify account to paid, expired or closed.

Network calls to Monnify never run inside a database transaction; the state they return is
applied afterwards under a row lock on the payment (payments/locks.py), so concurrent webhooks,
the periodic re-query and the expiry job serialise on that row and a status never goes backwards.
"""

import logging
import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import Conflict, ServiceError
from config.money import kobo_text
from config.site_url import site_url
from orders.models import Order, OrderStatus, PaymentStatus
from orders.services import order_expire_payment, order_mark_paid
from outbox.services import outbox_enqueue
from payments import locks, messages, metrics, tasks
from payments.models import (
    Payment,
    PaymentMethod,
)
from payments.monnify import (
    MonnifyClient,
    MonnifyError,
    MonnifyRequestError,
    monnify_client,
    parse_amount,
    parse_datetime,
)
from payments.payment_state import MonnifyCheck, Overpaid, PartlyPaid, PaymentState, now_iso
from payments.selectors import ACCOUNT_LIFETIME
from payments.services.ledger import ledger_credit_sale, ledger_debit_reversal
from payments.services.pod import pod_amount_due, pod_payment_applied
from payments.services.receipts import receipt_issue
from payments.simulator_shared import simulated_payment

logger = logging.getLogger(__name__)


PAID_STATUSES = frozenset({"PAID", "OVERPAID"})
METHODS = {
    "ACCOUNT_TRANSFER": PaymentMethod.BANK_TRANSFER,
    "CARD": PaymentMethod.CARD,
    "USSD": PaymentMethod.USSD,
}
REFRESH_INTERVAL_SECONDS = 20


def _new_reference() -> str:
    return f"AGM-{secrets.token_hex(8).upper()}"


def payment_create(*, order: Order) -> Payment:
    """The order's open payment row, without calling Monnify: safe inside the caller's transaction.

    Idempotent: an order has at most one pending payment. The account is opened after the
    caller's transaction commits (a Celery task), so no network call holds its row locks.
    """
    with transaction.atomic():
        order = locks.order_lock(order.pk)
        if order.payment_status == PaymentStatus.PAID:
            raise Conflict("This order is already paid.")
        if order.status == OrderStatus.CANCELLED:
            raise Conflict("This order was cancelled.")
        payment = order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()
        if payment is not None:
            return payment
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    payment = Payment.objects.create(
                        order=order,
                        user=order.store.user,
                        amount=pod_amount_due(order) or order.total,
                        currency="NGN",
                        payment_reference=_new_reference(),
                        metadata={},
                    )
                break
            except IntegrityError:
                continue  # a reference collision: the unique key is the last guard
        else:
            raise Conflict("Could not allocate a payment reference; try again.")
        outbox_enqueue(task=tasks.payment_open, payment_id=payment.pk)
    return payment


def payment_retry_start(*, payment: Payment) -> Payment:
    """Try Monnify again for a pending payment that has no transfer account yet."""
    payment = Payment.objects.select_related("order__store__user").get(pk=payment.pk)
    if payment.status != PaymentStatus.PENDING:
        raise Conflict("This payment is no longer pending.")
    if payment.account_number:
        return payment
    return _payment_open_account(payment)


def _transaction_for(client: MonnifyClient, payment: Payment) -> dict[str, Any]:
    """Monnify's transaction for our reference, created now or found from a lost earlier reply."""
    order = payment.order
    store = order.store
    try:
        return client.init_transaction(
            amount=payment.amount,
            customer_name=order.customer_name,
            # Monnify requires an email; a shopper may not give one, and the merchant is the
            # one who can act on Monnify's receipt then.
            customer_email=order.customer_email or store.user.email,
            payment_reference=payment.payment_reference,
            payment_description=store.display_name[:100],
            # After card or USSD on Monnify's page the shopper comes back to this payment's page.
            redirect_url=f"{site_url()}/{store.username}/pay/{payment.payment_reference}",
            metadata={"order_number": order.order_number},
        )
    except MonnifyRequestError:
        # A duplicate reference means an earlier attempt did reach Monnify: reuse it.
        try:
            return client.query_by_payment_reference(payment.payment_reference)
        except MonnifyRequestError:
            pass
        raise


def _payment_open_account(payment: Payment) -> Payment:
    client = monnify_client()
    try:
        if not payment.monnify_reference:
            created = _transaction_for(client, payment)
            with transaction.atomic():
                locked = locks.payment_lock(payment.pk)
                locked.monnify_reference = created["transactionReference"]
                state = PaymentState.of(locked)
                if created.get("checkoutUrl"):
                    state.checkout_url = created["checkoutUrl"]
                state.store(locked)
                locked.save(update_fields=["monnify_reference", "metadata", "updated_at"])
            payment.monnify_reference = locked.monnify_reference
        account = client.init_bank_transfer(transaction_reference=payment.monnify_reference)
    except MonnifyError as error:
        logger.warning("payments: Monnify could not open %s: %s", payment.payment_reference, error)
        with transaction.atomic():
            locked = locks.payment_lock(payment.pk)
            state = PaymentState.of(locked)
            state.start_failed(error.message)
            state.store(locked)
            locked.save(update_fields=["metadata", "updated_at"])
        return locked
    with transaction.atomic():
        locked = locks.payment_lock(payment.pk)
        if locked.status != PaymentStatus.PENDING:
            return locked
        locked.account_number = account["accountNumber"]
        locked.account_name = account.get("accountName")
        locked.bank_name = account.get("bankName")
        duration = int(account.get("accountDurationSeconds") or ACCOUNT_LIFETIME.total_seconds())
        locked.expires_at = timezone.now() + timedelta(seconds=duration)
        state = PaymentState.of(locked)
        state.start_succeeded()
        if account.get("ussdPayment"):
            state.ussd_payment = account["ussdPayment"]
        state.store(locked)
        locked.save(
            update_fields=[
                "account_number",
                "account_name",
                "bank_name",
                "expires_at",
                "metadata",
                "updated_at",
            ]
        )
    return locked


def payment_apply_status(*, payment_id: str, body: dict[str, Any]) -> bool:
    """Apply a re-queried Monnify transaction to our payment. True when the payment became paid."""
    monnify_status = str(body.get("paymentStatus") or "").upper()
    amount_paid = parse_amount(body.get("amountPaid")) or Decimal("0")
    currency = str(body.get("currency") or body.get("currencyCode") or "")
    with transaction.atomic():
        payment = locks.payment_lock(payment_id)
        if body.get("paymentReference") and body["paymentReference"] != payment.payment_reference:
            raise ServiceError("Monnify's transaction belongs to another payment reference.")
        state = PaymentState.of(payment)
        flag_before = state.flag
        state.monnify = MonnifyCheck(
            status=monnify_status,
            amount_paid=kobo_text(amount_paid),
            currency=currency,
            payment_method=body.get("paymentMethod"),
            checked_at=now_iso(),
        )
        fields = ["metadata", "updated_at"]
        if not payment.monnify_reference and body.get("transactionReference"):
            payment.monnify_reference = body["transactionReference"]
            fields.append("monnify_reference")
        became_paid = False
        enough = (
            monnify_status in PAID_STATUSES and currency == payment.currency and amount_paid >= payment.amount
        )

        if payment.status == PaymentStatus.PAID:
            if monnify_status == "REVERSED":
                state.mark_reversed()
                state.flag = "reversed"
                ledger_debit_reversal(payment)
        elif enough and payment.status == PaymentStatus.EXPIRED:
            # Money arrived after we gave the stock back: the merchant decides (refund or fulfil).
            state.paid_late(kobo_text(amount_paid))
            state.flag = "paid_after_cancel" if state.closed_by_cancel else "late_payment"
        elif enough and payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.PAID
            payment.paid_at = parse_datetime(body.get("paidOn")) or timezone.now()
            payment.payment_method = METHODS.get(str(body.get("paymentMethod") or "").upper())
            fields += ["status", "paid_at", "payment_method"]
            was_short = state.partly_paid is not None
            state.partly_paid = None
            if was_short and state.flag == "partly_paid":
                # Topped up to the full amount: nothing is short any more.
                state.flag = None
            if amount_paid > payment.amount:
                state.overpaid = Overpaid(
                    amount_paid=kobo_text(amount_paid), excess=kobo_text(amount_paid - payment.amount)
                )
                state.flag = "overpaid"
            became_paid = True
        elif amount_paid > 0 and (monnify_status in PAID_STATUSES | {"PARTIALLY_PAID", "UNDERPAID"}):
            state.partly_paid = PartlyPaid(
                amount_paid=kobo_text(amount_paid), expected=kobo_text(payment.amount), currency=currency
            )
            state.flag = "partly_paid"
        state.store(payment)
        payment.save(update_fields=fields)
        if became_paid:
            if not pod_payment_applied(payment=payment, amount_paid=amount_paid):
                order_mark_paid(order_id=payment.order_id)
                ledger_credit_sale(payment, amount_paid)
            receipt_issue(order=payment.order, payment=payment)
            if Order.objects.filter(pk=payment.order_id, status=OrderStatus.CANCELLED).exists():
                # Money for an order the merchant already cancelled: it is theirs to refund.
                state.flag = "paid_after_cancel"
                state.store(payment)
                payment.save(update_fields=["metadata"])
            # After commit and robust: a template or provider problem is logged, and can neither
            # undo the payment nor fail the webhook task that applied it.
            transaction.on_commit(lambda: messages.send_payment_received(payment_id=payment.pk), robust=True)
            transaction.on_commit(lambda: metrics.payment_paid(amount_paid))
        flag = state.flag
        if flag and flag != flag_before:
            transaction.on_commit(lambda: metrics.payment_flagged(flag))
            transaction.on_commit(
                lambda: messages.send_payment_flag(payment_id=payment.pk, flag=flag), robust=True
            )
    return became_paid


def payment_transaction_fetch(
    *, payment: Payment, transaction_reference: str | None = None
) -> dict[str, Any]:
    """Monnify's own state of the payment's transaction (no write). Raises MonnifyError."""
    reference = payment.monnify_reference or transaction_reference
    client = monnify_client()
    if reference:
        return client.get_transaction_status_v2(reference)
    return client.query_by_payment_reference(payment.payment_reference)


def payment_reconcile(*, payment: Payment, transaction_reference: str | None = None) -> bool:
    """Ask Monnify for the transaction's real state and apply it. Raises MonnifyError."""
    body = payment_transaction_fetch(payment=payment, transaction_reference=transaction_reference)
    return payment_apply_status(payment_id=payment.pk, body=body)


def payment_expire(*, payment: Payment) -> bool:
    """Expire a stale pending payment after one last look at Monnify. True when it expired.

    If Monnify cannot be reached the payment stays pending, so money that did arrive is never
    written off; the next run tries again.
    """
    if payment.monnify_reference and payment_reconcile(payment=payment):
        return False
    with transaction.atomic():
        locked = locks.payment_lock(payment.pk)
        if locked.status != PaymentStatus.PENDING:
            return False
        locked.status = PaymentStatus.EXPIRED
        state = PaymentState.of(locked)
        state.mark_expired()
        state.store(locked)
        locked.save(update_fields=["status", "metadata", "updated_at"])

        order_expire_payment(order=locked.order)
    return True


def payments_close_for_cancelled_order(*, order: Order) -> int:
    """Close the open payments of an order being cancelled (call inside its transaction).

    They become `expired`, not `failed`: nothing failed, the offer lapsed, and money Monnify
    reports for an expired payment is already recorded and flagged for the merchant instead of
    confirming the order (`closed_by_cancel` makes that flag "paid after you cancelled").
    """
    closed = 0
    for payment in locks.payments_lock_pending(order_id=order.pk):
        state = PaymentState.of(payment)
        state.mark_closed_by_cancel()
        state.store(payment)
        payment.status = PaymentStatus.EXPIRED
        payment.save(update_fields=["status", "metadata", "updated_at"])
        closed += 1
    return closed


def payment_requery(*, payment_id: str) -> bool:
    """One pending payment's periodic check: open its account if Monnify was down, else re-query."""
    payment = Payment.objects.select_related("order__store__user").get(pk=payment_id)
    if payment.status != PaymentStatus.PENDING:
        return False
    if not payment.account_number:
        payment_retry_start(payment=payment)
        payment.refresh_from_db()
    if payment.monnify_reference:
        return payment_reconcile(payment=payment)
    return False


def payment_refresh_if_due(*, payment: Payment) -> Payment:
    """Re-query a pending payment for a shopper watching it, at most every 20 s per payment.

    Webhooks are usually first; this keeps the page honest when one is slow or lost. A payment
    whose account could not be opened (Monnify was down) is tried again at the same pace, so a
    shopper who keeps the page open gets the account without pressing "Try again". Without the
    cache (Redis down) nothing is tried from the page: the periodic re-query does it.
    """
    if payment.status != PaymentStatus.PENDING:
        return payment
    retry_start = not payment.account_number and PaymentState.of(payment).start_error is not None
    if not payment.monnify_reference and not retry_start:
        return payment
    if not cache.add(f"payments:refresh:{payment.pk}", 1, REFRESH_INTERVAL_SECONDS):
        return payment
    if retry_start:
        try:
            return payment_retry_start(payment=payment)
        except ServiceError as error:
            logger.info("payments: retry of %s skipped: %s", payment.payment_reference, error)
            return payment
    try:
        payment_reconcile(payment=payment)
    except (MonnifyError, ServiceError) as error:
        logger.info("payments: refresh of %s skipped: %s", payment.payment_reference, error)
    payment.refresh_from_db()
    return payment


def payment_pay_simulated(*, payment: Payment) -> None:
    """The built-in simulator only: pay a pending payment's transfer as the shopper's bank would.

    The shopper is back at once, before the webhook, so the payment is re-queried now and its
    page shows what Monnify says (it would on its next refresh anyway; without JavaScript there
    is no refresh). Raises MonnifyError or ServiceError when that re-query fails.
    """
    if payment.status == PaymentStatus.PENDING and payment.monnify_reference:
        simulated_payment(transaction_reference=payment.monnify_reference)
        payment_reconcile(payment=payment)
