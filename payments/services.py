"""Every write of the payments app: starting a Monnify payment, applying what Monnify says about
it, expiring it, and recording Monnify's webhooks.

Network calls to Monnify never run inside a database transaction; the state they return is
applied afterwards under a row lock on the payment, so concurrent webhooks, the periodic
re-query and the expiry job serialise on that row and a status never goes backwards.
"""

import json
import logging
import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import Conflict, ExternalServiceError, NotFound, PermissionDenied, ServiceError
from config.site_url import site_url
from orders.models import Order, OrderStatus, PaymentStatus
from payments import messages
from payments.models import (
    BankAccount,
    LedgerEntry,
    LedgerKind,
    MonnifyWebhookEvent,
    Payment,
    PaymentMethod,
    Payout,
    PayoutStatus,
    Refund,
    RefundStatus,
    WebhookEventStatus,
)
from payments.monnify import (
    MonnifyClient,
    MonnifyError,
    MonnifyRequestError,
    MonnifyUnavailable,
    monnify_client,
    monnify_config,
    parse_amount,
    parse_datetime,
)
from payments.selectors import (
    bank_account_get,
    bank_accounts_for_user,
    ledger_balance,
    payment_received,
    payment_refundable,
)
from payments.webhooks import SIGNATURE_HEADER, signature_is_valid, source_ip_allowed, webhook_reference

logger = logging.getLogger(__name__)

PAID_STATUSES = frozenset({"PAID", "OVERPAID"})
METHODS = {
    "ACCOUNT_TRANSFER": PaymentMethod.BANK_TRANSFER,
    "CARD": PaymentMethod.CARD,
    "USSD": PaymentMethod.USSD,
}
# Monnify keeps a one-time account for 40 minutes; a payment started without one (Monnify
# was down) is given the same time before it expires.
ACCOUNT_LIFETIME = timedelta(seconds=2400)
TRANSACTION_EVENTS = frozenset({"SUCCESSFUL_TRANSACTION", "REJECTED_PAYMENT"})


class InvalidWebhookSignature(ServiceError):
    code = "invalid_signature"
    http_status = 401


def _now_iso() -> str:
    return timezone.now().isoformat()


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


# --- starting a payment ---------------------------------------------------------------------


def _new_reference() -> str:
    return f"AGM-{secrets.token_hex(8).upper()}"


def payment_create(*, order: Order) -> Payment:
    """The order's open payment row, without calling Monnify: safe inside the caller's transaction.

    Idempotent: an order has at most one pending payment. The account is opened after the
    caller's transaction commits (a Celery task), so no network call holds its row locks.
    """
    return _payment_row(order, open_after_commit=True)


def _payment_row(order: Order, *, open_after_commit: bool) -> Payment:
    with transaction.atomic():
        # Lock the order row only: a join would lock the store and merchant rows too, which
        # concurrent checkouts of the same store hold shared locks on (deadlock on MariaDB,
        # which has no FOR UPDATE OF).
        order = Order.objects.select_for_update().get(pk=order.pk)
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
                        amount=order.total,
                        currency="NGN",
                        payment_reference=_new_reference(),
                        metadata={},
                    )
                break
            except IntegrityError:
                continue  # a reference collision: the unique key is the last guard
        else:
            raise Conflict("Could not allocate a payment reference; try again.")

        if open_after_commit:
            from payments.tasks import payment_open

            transaction.on_commit(lambda: payment_open.delay(payment.pk), robust=True)
    return payment


def payment_start(*, order: Order) -> Payment:
    """The order's open payment with its Monnify one-time account, now (call outside a transaction).

    Idempotent, like payment_create; calling again retries Monnify if it could not be reached.
    """
    payment = _payment_row(order, open_after_commit=False)
    if payment.account_number:
        return payment
    return _payment_open_account(payment)


def payment_retry_start(*, payment: Payment) -> Payment:
    """Try Monnify again for a pending payment that has no transfer account yet."""
    payment = Payment.objects.select_related("order__store__user").get(pk=payment.pk)
    if payment.status != PaymentStatus.PENDING:
        raise Conflict("This payment is no longer pending.")
    if payment.account_number:
        return payment
    return _payment_open_account(payment)


def _transaction_for(client: MonnifyClient, payment: Payment) -> dict:
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
            redirect_url=f"{site_url()}/{store.username}",
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
                locked = Payment.objects.select_for_update().get(pk=payment.pk)
                locked.monnify_reference = created["transactionReference"]
                metadata = locked.metadata or {}
                if created.get("checkoutUrl"):
                    metadata["checkout_url"] = created["checkoutUrl"]
                locked.metadata = metadata
                locked.save(update_fields=["monnify_reference", "metadata", "updated_at"])
            payment.monnify_reference = locked.monnify_reference
        account = client.init_bank_transfer(transaction_reference=payment.monnify_reference)
    except MonnifyError as error:
        logger.warning("payments: Monnify could not open %s: %s", payment.payment_reference, error)
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            metadata = locked.metadata or {}
            metadata["start_error"] = {"message": error.message, "at": _now_iso()}
            locked.metadata = metadata
            locked.save(update_fields=["metadata", "updated_at"])
        return locked
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != PaymentStatus.PENDING:
            return locked
        locked.account_number = account["accountNumber"]
        locked.account_name = account.get("accountName")
        locked.bank_name = account.get("bankName")
        duration = int(account.get("accountDurationSeconds") or ACCOUNT_LIFETIME.total_seconds())
        locked.expires_at = timezone.now() + timedelta(seconds=duration)
        metadata = locked.metadata or {}
        metadata.pop("start_error", None)
        if account.get("ussdPayment"):
            metadata["ussd_payment"] = account["ussdPayment"]
        locked.metadata = metadata
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


# --- applying Monnify's view of a transaction ------------------------------------------------


def payment_apply_status(*, payment_id: str, body: dict) -> bool:
    """Apply a re-queried Monnify transaction to our payment. True when the payment became paid."""
    monnify_status = str(body.get("paymentStatus") or "").upper()
    amount_paid = parse_amount(body.get("amountPaid")) or Decimal("0")
    currency = str(body.get("currency") or body.get("currencyCode") or "")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if body.get("paymentReference") and body["paymentReference"] != payment.payment_reference:
            raise ServiceError("Monnify's transaction belongs to another payment reference.")
        metadata = payment.metadata or {}
        flag_before = metadata.get("needs_merchant_action")
        metadata["monnify"] = {
            "status": monnify_status,
            "amount_paid": _money(amount_paid),
            "currency": currency,
            "payment_method": body.get("paymentMethod"),
            "checked_at": _now_iso(),
        }
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
                metadata.setdefault("reversed", {"at": _now_iso()})
                metadata["needs_merchant_action"] = "reversed"
                _ledger_debit_reversal(payment)
        elif enough and payment.status == PaymentStatus.EXPIRED:
            # Money arrived after we gave the stock back: the merchant decides (refund or fulfil).
            metadata["late_payment"] = {"amount_paid": _money(amount_paid), "at": _now_iso()}
            metadata["needs_merchant_action"] = (
                "paid_after_cancel" if "closed_by_cancel" in metadata else "late_payment"
            )
        elif enough and payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.PAID
            payment.paid_at = parse_datetime(body.get("paidOn")) or timezone.now()
            payment.payment_method = METHODS.get(str(body.get("paymentMethod") or "").upper())
            fields += ["status", "paid_at", "payment_method"]
            if metadata.pop("partly_paid", None) and metadata.get("needs_merchant_action") == "partly_paid":
                # Topped up to the full amount: nothing is short any more.
                del metadata["needs_merchant_action"]
            if amount_paid > payment.amount:
                metadata["overpaid"] = {
                    "amount_paid": _money(amount_paid),
                    "excess": _money(amount_paid - payment.amount),
                }
                metadata["needs_merchant_action"] = "overpaid"
            became_paid = True
        elif amount_paid > 0 and (monnify_status in PAID_STATUSES | {"PARTIALLY_PAID", "UNDERPAID"}):
            metadata["partly_paid"] = {
                "amount_paid": _money(amount_paid),
                "expected": _money(payment.amount),
                "currency": currency,
            }
            metadata["needs_merchant_action"] = "partly_paid"
        payment.metadata = metadata
        payment.save(update_fields=fields)
        if became_paid:
            from orders.services import order_mark_paid  # orders places payments: import late

            order_mark_paid(order_id=payment.order_id)
            _ledger_credit_sale(payment, amount_paid)
            if Order.objects.filter(pk=payment.order_id, status=OrderStatus.CANCELLED).exists():
                # Money for an order the merchant already cancelled: it is theirs to refund.
                metadata["needs_merchant_action"] = "paid_after_cancel"
                payment.save(update_fields=["metadata"])
            # After commit and robust: a template or provider problem is logged, and can neither
            # undo the payment nor fail the webhook task that applied it.
            transaction.on_commit(partial(messages.send_payment_received, payment_id=payment.pk), robust=True)
        flag = metadata.get("needs_merchant_action")
        if flag and flag != flag_before:
            transaction.on_commit(
                partial(messages.send_payment_flag, payment_id=payment.pk, flag=flag), robust=True
            )
    return became_paid


def payment_reconcile(*, payment: Payment, transaction_reference: str | None = None) -> bool:
    """Ask Monnify for the transaction's real state and apply it. Raises MonnifyError."""
    reference = payment.monnify_reference or transaction_reference
    client = monnify_client()
    if reference:
        body = client.get_transaction_status_v2(reference)
    else:
        body = client.query_by_payment_reference(payment.payment_reference)
    return payment_apply_status(payment_id=payment.pk, body=body)


def payment_expire(*, payment: Payment) -> bool:
    """Expire a stale pending payment after one last look at Monnify. True when it expired.

    If Monnify cannot be reached the payment stays pending, so money that did arrive is never
    written off; the next run tries again.
    """
    if payment.monnify_reference and payment_reconcile(payment=payment):
        return False
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != PaymentStatus.PENDING:
            return False
        locked.status = PaymentStatus.EXPIRED
        metadata = locked.metadata or {}
        metadata["expired_at"] = _now_iso()
        locked.metadata = metadata
        locked.save(update_fields=["status", "metadata", "updated_at"])
        from orders.services import order_expire_payment  # orders places payments: import late

        order_expire_payment(order=locked.order)
    return True


def payments_lock_for_order(*, order_id: str) -> None:
    """Lock an order's payments before the order itself, in the order the webhook path takes
    (payment, then order), so cancelling and a payment arriving cannot deadlock."""
    list(Payment.objects.select_for_update().filter(order_id=order_id).order_by("pk").values_list("pk"))


def payments_close_for_cancelled_order(*, order: Order) -> int:
    """Close the open payments of an order being cancelled (call inside its transaction).

    They become `expired`, not `failed`: nothing failed, the offer lapsed, and money Monnify
    reports for an expired payment is already recorded and flagged for the merchant instead of
    confirming the order (`closed_by_cancel` makes that flag "paid after you cancelled").
    """
    closed = 0
    for payment in Payment.objects.select_for_update().filter(order=order, status=PaymentStatus.PENDING):
        metadata = payment.metadata or {}
        metadata["closed_by_cancel"] = {"at": _now_iso()}
        payment.metadata = metadata
        payment.status = PaymentStatus.EXPIRED
        payment.save(update_fields=["status", "metadata", "updated_at"])
        closed += 1
    return closed


def payments_due_for_requery():
    """Pending payments young enough to still be paid: the ids the periodic job re-queries."""
    since = timezone.now() - timedelta(days=2)
    return list(
        Payment.objects.filter(status=PaymentStatus.PENDING, created_at__gte=since)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def payments_due_for_expiry():
    grace = timedelta(seconds=settings.PAYMENT_EXPIRY_GRACE_SECONDS)
    now = timezone.now()
    with_account = Payment.objects.filter(status=PaymentStatus.PENDING, expires_at__lt=now - grace)
    without_account = Payment.objects.filter(
        status=PaymentStatus.PENDING, expires_at__isnull=True, created_at__lt=now - ACCOUNT_LIFETIME - grace
    )
    return list((with_account | without_account).order_by("created_at").values_list("pk", flat=True))


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


# --- webhooks ---------------------------------------------------------------------------------


def monnify_webhook_receive(*, body: bytes, headers, remote_addr: str | None) -> MonnifyWebhookEvent | None:
    """Authenticate and record one notification. None when it was already recorded.

    The signature is checked over the raw bytes before anything parses them; nothing is
    written for a request that fails a check.
    """
    if not source_ip_allowed(remote_addr, settings.MONNIFY_WEBHOOK_ALLOWED_IPS):
        raise PermissionDenied("This address may not send Monnify notifications.")
    if not signature_is_valid(body, headers.get(SIGNATURE_HEADER), monnify_config().secret_key):
        raise InvalidWebhookSignature("Invalid or missing monnify-signature.")
    try:
        payload = json.loads(body)
    except ValueError:
        raise ServiceError("The notification is not JSON.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("eventData"), dict):
        raise ServiceError("The notification has no eventData.")
    event_type = str(payload.get("eventType") or "")[:50]
    reference = webhook_reference(event_type, payload["eventData"])
    if not event_type or not reference:
        raise ServiceError("The notification has no eventType or reference.")
    try:
        with transaction.atomic():
            event = MonnifyWebhookEvent.objects.create(
                event_type=event_type, reference=reference, payload=payload, remote_addr=remote_addr or ""
            )
            from payments.tasks import monnify_event_process

            transaction.on_commit(lambda: monnify_event_process.delay(event.pk), robust=True)
    except IntegrityError:
        return None  # a redelivery (or a concurrent duplicate) of an event we hold
    return event


def _event_finish(event: MonnifyWebhookEvent, status: str, error: str = ""):
    MonnifyWebhookEvent.objects.filter(pk=event.pk).update(
        status=status, error=error[:2000], processed_at=timezone.now()
    )


def monnify_event_process(*, event_id: str):
    """Act on a recorded notification. Safe to run twice. Raises MonnifyUnavailable to be retried."""
    event = MonnifyWebhookEvent.objects.get(pk=event_id)
    if event.status == WebhookEventStatus.PROCESSED:
        return
    data = event.payload.get("eventData") or {}
    if event.event_type in DISBURSEMENT_EVENTS:
        _disbursement_event_process(event, data)
        return
    if event.event_type in REFUND_EVENTS:
        _refund_event_process(event, data)
        return
    if event.event_type not in TRANSACTION_EVENTS:
        _event_finish(event, WebhookEventStatus.IGNORED, f"{event.event_type} is not handled")
        return
    payment = (
        Payment.objects.filter(payment_reference=data.get("paymentReference") or "").first()
        or Payment.objects.filter(monnify_reference=data.get("transactionReference") or "").first()
    )
    if payment is None:
        _event_finish(event, WebhookEventStatus.IGNORED, "no payment with this reference")
        return
    if event.event_type == "REJECTED_PAYMENT":
        _payment_note_rejection(payment=payment, data=data)
    try:
        payment_reconcile(payment=payment, transaction_reference=data.get("transactionReference"))
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.FAILED, error.message)
        raise ExternalServiceError("Monnify could not confirm the transaction.") from error
    _event_finish(event, WebhookEventStatus.PROCESSED)


def _payment_note_rejection(*, payment: Payment, data: dict):
    source = data.get("paymentSourceInformation")
    if isinstance(source, list):
        source = source[0] if source else {}
    rejection = data.get("paymentRejectionInformation") or {}
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        metadata = locked.metadata or {}
        metadata["rejected_payment"] = {
            "amount_paid": _money(parse_amount((source or {}).get("amountPaid")) or Decimal("0")),
            "reason": rejection.get("rejectionReason"),
            "at": _now_iso(),
        }
        locked.metadata = metadata
        locked.save(update_fields=["metadata", "updated_at"])


# --- banks and merchants' bank accounts ----------------------------------------------------------

BANKS_CACHE_KEY = "payments:monnify-banks"
BANKS_CACHE_SECONDS = 24 * 60 * 60
MAX_BANK_ACCOUNTS = 5


class AccountNotResolved(ServiceError):
    code = "account_not_resolved"


def bank_list() -> list[dict]:
    """Monnify's banks ({name, code}, by name), cached for a day: the list rarely changes."""
    banks = cache.get(BANKS_CACHE_KEY)
    if banks is None:
        try:
            raw = monnify_client().list_banks()
        except MonnifyError as error:
            raise ExternalServiceError("The list of banks is unavailable; try again shortly.") from error
        banks = sorted(
            ({"name": bank["name"], "code": str(bank["code"])} for bank in raw if bank.get("code")),
            key=lambda bank: bank["name"].lower(),
        )
        cache.set(BANKS_CACHE_KEY, banks, BANKS_CACHE_SECONDS)
    return banks


def bank_account_resolve(*, account_number: str, bank_code: str) -> dict:
    """Name enquiry: the name the bank holds for the account (never one the merchant typed)."""
    account_number = (account_number or "").strip()
    bank_code = (bank_code or "").strip()
    if len(account_number) != 10 or not account_number.isdigit():
        raise ServiceError(
            "Enter the 10-digit account number (NUBAN).", details={"account_number": "invalid"}
        )
    bank = next((bank for bank in bank_list() if bank["code"] == bank_code), None)
    if bank is None:
        raise ServiceError("Choose a bank from the list.", details={"bank_code": "unknown"})
    try:
        resolved = monnify_client().validate_account(account_number=account_number, bank_code=bank_code)
    except MonnifyRequestError as error:
        raise AccountNotResolved(
            "We could not find that account at that bank. Check the number and the bank."
        ) from error
    except MonnifyError as error:
        raise ExternalServiceError("Account lookup is unavailable; try again shortly.") from error
    return {
        "account_number": account_number,
        "account_name": resolved.get("accountName") or "",
        "bank_code": bank_code,
        "bank_name": resolved.get("bankName") or bank["name"],
    }


def _lock_owner(user):
    # Serialises one merchant's bank-account changes (primary flag, count limit).
    user.__class__.objects.select_for_update().filter(pk=user.pk).first()


def bank_account_add(*, user, account_number: str, bank_code: str) -> BankAccount:
    resolved = bank_account_resolve(account_number=account_number, bank_code=bank_code)
    if not resolved["account_name"]:
        raise AccountNotResolved("The bank returned no name for that account.")
    with transaction.atomic():
        _lock_owner(user)
        accounts = BankAccount.objects.filter(user=user)
        existing = accounts.filter(account_number=resolved["account_number"], bank_code=bank_code).first()
        if existing is not None and existing.deleted_at is None:
            raise Conflict("You have already added this account.")
        live = accounts.filter(deleted_at__isnull=True)
        if live.count() >= MAX_BANK_ACCOUNTS:
            raise Conflict(f"You can keep up to {MAX_BANK_ACCOUNTS} bank accounts; remove one first.")
        account = existing or BankAccount(
            user=user, account_number=resolved["account_number"], bank_code=bank_code
        )
        account.account_name = resolved["account_name"][:255]
        account.bank_name = resolved["bank_name"][:255]
        account.is_verified = True
        account.is_primary = not live.filter(is_primary=True).exists()
        account.deleted_at = None
        account.save()
    return account


def bank_account_make_primary(*, user, account_id: str) -> BankAccount:
    with transaction.atomic():
        _lock_owner(user)
        account = bank_account_get(user=user, account_id=account_id)
        BankAccount.objects.filter(user=user, is_primary=True).exclude(pk=account.pk).update(is_primary=False)
        account.is_primary = True
        account.save(update_fields=["is_primary", "updated_at"])
    return account


def bank_account_delete(*, user, account_id: str) -> None:
    """Soft delete (payout history keeps pointing at it); the newest other account becomes primary."""
    with transaction.atomic():
        _lock_owner(user)
        account = bank_account_get(user=user, account_id=account_id)
        was_primary = account.is_primary
        account.deleted_at = timezone.now()
        account.is_primary = False
        account.save(update_fields=["deleted_at", "is_primary", "updated_at"])
        if was_primary:
            successor = (
                BankAccount.objects.filter(user=user, deleted_at__isnull=True).order_by("-created_at").first()
            )
            if successor is not None:
                successor.is_primary = True
                successor.save(update_fields=["is_primary", "updated_at"])


# --- ledger ------------------------------------------------------------------------------------


def _ledger_book(
    *, merchant_id: str, kind: str, amount: Decimal, reference: str, **links
) -> LedgerEntry | None:
    """Book an entry once: a second booking under the same reference is a no-op (None)."""
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                merchant_id=merchant_id, kind=kind, amount=amount, reference=reference, **links
            )
    except IntegrityError:
        return None


def _ledger_credit_sale(payment: Payment, amount_paid: Decimal):
    # What arrived, less the platform fee: an overpayment's excess is the merchant's to refund.
    fee = Order.objects.filter(pk=payment.order_id).values_list("agm_fee", flat=True).first() or Decimal("0")
    _ledger_book(
        merchant_id=payment.user_id,
        kind=LedgerKind.CREDIT_SALE,
        amount=amount_paid - fee,
        reference=f"sale:{payment.payment_reference}",
        payment=payment,
        description="Order payment, net of the platform fee",
    )


def _ledger_debit_reversal(payment: Payment):
    # The money went back to the shopper: take back exactly what the sale credited, once.
    credited = (
        LedgerEntry.objects.filter(reference=f"sale:{payment.payment_reference}")
        .values_list("amount", flat=True)
        .first()
    )
    if not credited:
        return
    _ledger_book(
        merchant_id=payment.user_id,
        kind=LedgerKind.DEBIT_REVERSAL,
        amount=-credited,
        reference=f"reversal:{payment.payment_reference}",
        payment=payment,
        description="Payment reversed by Monnify",
    )


# --- payouts -----------------------------------------------------------------------------------

PAYOUT_RANK = {
    PayoutStatus.PENDING_APPROVAL: 0,
    PayoutStatus.QUEUED: 0,
    PayoutStatus.SUBMITTING: 1,
    PayoutStatus.PENDING_AUTHORIZATION: 2,
    PayoutStatus.PROCESSING: 3,
    PayoutStatus.SUCCESS: 4,
    PayoutStatus.FAILED: 4,
    PayoutStatus.REVERSED: 5,
}
PAYOUT_TERMINAL = frozenset({PayoutStatus.FAILED, PayoutStatus.REVERSED, PayoutStatus.REJECTED})
TRANSFER_STATUSES = {
    "SUCCESS": PayoutStatus.SUCCESS,
    "COMPLETED": PayoutStatus.SUCCESS,
    "FAILED": PayoutStatus.FAILED,
    "EXPIRED": PayoutStatus.FAILED,
    "REVERSED": PayoutStatus.REVERSED,
    "PENDING_AUTHORIZATION": PayoutStatus.PENDING_AUTHORIZATION,
    "PENDING_BATCH_AUTHORIZATION": PayoutStatus.PENDING_AUTHORIZATION,
    "OTP_EMAIL_DISPATCH_FAILED": PayoutStatus.PENDING_AUTHORIZATION,
    "PENDING": PayoutStatus.PROCESSING,
    "AWAITING_PROCESSING": PayoutStatus.PROCESSING,
    "IN_PROGRESS": PayoutStatus.PROCESSING,
}
DISBURSEMENT_EVENTS = frozenset({"SUCCESSFUL_DISBURSEMENT", "FAILED_DISBURSEMENT", "REVERSED_DISBURSEMENT"})


class InsufficientBalance(ServiceError):
    code = "insufficient_balance"


def _payout_queue_submit(payout_id: str):
    from payments.tasks import payout_submit

    transaction.on_commit(lambda: payout_submit.delay(payout_id), robust=True)


def payout_request(*, user, amount, bank_account_id: str | None = None) -> Payout:
    """Withdraw available balance to one of the merchant's verified accounts (primary by default).

    The amount leaves the balance at once (a debit entry); a failed, rejected or reversed payout
    books it back.
    """
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ServiceError("Enter an amount in naira.", details={"amount": "invalid"}) from None
    minimum = settings.PAYOUT_MINIMUM_AMOUNT
    if amount < minimum:
        raise ServiceError(f"The smallest payout is ₦{minimum:,.2f}.", details={"amount": "below_minimum"})
    if not (user.email_verified and user.phone_verified):
        raise PermissionDenied("Verify your email address and phone number before requesting a payout.")
    with transaction.atomic():
        _lock_owner(user)
        if bank_account_id:
            account = bank_account_get(user=user, account_id=bank_account_id)
        else:
            account = bank_accounts_for_user(user=user).filter(is_primary=True).first()
            if account is None:
                raise ServiceError("Add a bank account before requesting a payout.")
        if not account.is_verified:
            raise ServiceError("This bank account is not verified.")
        balance = ledger_balance(user=user)
        if amount > balance:
            raise InsufficientBalance(f"Your available balance is ₦{balance:,.2f}.")
        needs_approval = settings.PAYOUT_REQUIRE_APPROVAL
        payout = Payout.objects.create(
            merchant=user,
            bank_account=account,
            amount=amount,
            reference=f"AGMPO-{secrets.token_hex(8).upper()}",
            status=PayoutStatus.PENDING_APPROVAL if needs_approval else PayoutStatus.QUEUED,
            account_number=account.account_number,
            account_name=account.account_name,
            bank_code=account.bank_code,
            bank_name=account.bank_name,
        )
        _ledger_book(
            merchant_id=user.pk,
            kind=LedgerKind.DEBIT_PAYOUT,
            amount=-amount,
            reference=f"payout:{payout.reference}",
            payout=payout,
            description=f"Payout to {account.bank_name} {account.account_number}",
        )
        if not needs_approval:
            _payout_queue_submit(payout.pk)
    return payout


def _payout_return_money(payout: Payout):
    _ledger_book(
        merchant_id=payout.merchant_id,
        kind=LedgerKind.CREDIT_PAYOUT_REVERSAL,
        amount=payout.amount,
        reference=f"payout-reversal:{payout.reference}",
        payout=payout,
        description=f"Payout {payout.reference} returned",
    )


def payout_approve(*, payout_id: str, staff) -> Payout:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != PayoutStatus.PENDING_APPROVAL:
            raise Conflict("Only a payout awaiting approval can be approved.")
        payout.status = PayoutStatus.QUEUED
        payout.reviewed_by = staff
        payout.save(update_fields=["status", "reviewed_by", "updated_at"])
        _payout_queue_submit(payout.pk)
    return payout


def payout_reject(*, payout_id: str, staff, reason: str = "") -> Payout:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != PayoutStatus.PENDING_APPROVAL:
            raise Conflict("Only a payout awaiting approval can be rejected.")
        payout.status = PayoutStatus.REJECTED
        payout.reviewed_by = staff
        payout.failure_reason = (reason or "Rejected by staff")[:255]
        payout.completed_at = timezone.now()
        payout.save(update_fields=["status", "reviewed_by", "failure_reason", "completed_at", "updated_at"])
        _payout_return_money(payout)
    return payout


def payout_apply_transfer(*, payout_id: str, body: dict) -> Payout:
    """Apply Monnify's transfer status. Never backwards; money returns once on failure or reversal."""
    new = TRANSFER_STATUSES.get(str(body.get("status") or "").upper())
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if body.get("reference") and body["reference"] != payout.reference:
            raise ServiceError("Monnify's transfer belongs to another payout reference.")
        if body.get("transactionReference") and not payout.monnify_reference:
            payout.monnify_reference = str(body["transactionReference"])[:100]
            payout.save(update_fields=["monnify_reference", "updated_at"])
        if new is None or payout.status in PAYOUT_TERMINAL:
            return payout
        if PAYOUT_RANK[new] <= PAYOUT_RANK[payout.status]:
            return payout
        if payout.status == PayoutStatus.SUCCESS and new != PayoutStatus.REVERSED:
            return payout
        payout.status = new
        if new in (PayoutStatus.FAILED, PayoutStatus.REVERSED):
            reason = body.get("comment") or body.get("transactionDescription") or new.label
            payout.failure_reason = str(reason)[:255]
            _payout_return_money(payout)
        if new in (PayoutStatus.SUCCESS, PayoutStatus.FAILED, PayoutStatus.REVERSED):
            payout.completed_at = timezone.now()
        payout.save()
        if new == PayoutStatus.SUCCESS:
            transaction.on_commit(partial(messages.send_payout_completed, payout_id=payout.pk), robust=True)
        elif new in (PayoutStatus.FAILED, PayoutStatus.REVERSED):
            transaction.on_commit(partial(messages.send_payout_failed, payout_id=payout.pk), robust=True)
    return payout


def _payout_fail(payout: Payout, reason: str) -> Payout:
    return payout_apply_transfer(payout_id=payout.pk, body={"status": "FAILED", "comment": reason})


def payout_submit(*, payout_id: str) -> Payout:
    """Send a queued payout to Monnify. An unknown outcome stays `submitting` for the re-query.

    Raises MonnifyUnavailable when Monnify could not be reached, so the task can retry.
    """
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status not in (PayoutStatus.QUEUED, PayoutStatus.SUBMITTING):
            return payout
        payout.status = PayoutStatus.SUBMITTING
        payout.save(update_fields=["status", "updated_at"])
    client = monnify_client()
    try:
        body = client.single_transfer(
            amount=payout.amount,
            reference=payout.reference,
            narration=f"{settings.SITE_NAME} payout"[:100],
            bank_code=payout.bank_code,
            account_number=payout.account_number,
            account_name=payout.account_name,
        )
    except MonnifyRequestError as error:
        # Refused, unless an earlier attempt under this same reference did get through.
        try:
            body = client.transfer_summary(payout.reference)
        except MonnifyRequestError:
            return _payout_fail(payout, error.message)
        except MonnifyUnavailable:
            raise  # cannot tell yet whether an earlier attempt went through: the task retries
        except MonnifyError:
            return payout  # the re-query settles it later
    except MonnifyUnavailable as error:
        # The payout stays `submitting`; a resend under the same reference cannot pay twice.
        logger.warning("payments: payout %s outcome unknown: %s", payout.reference, error)
        raise
    except MonnifyError as error:
        logger.warning("payments: payout %s outcome unknown: %s", payout.reference, error)
        return payout
    return payout_apply_transfer(payout_id=payout.pk, body=body)


def payout_authorize(*, payout_id: str, otp: str) -> Payout:
    """Submit the OTP Monnify emailed for a transfer awaiting two-factor authorisation."""
    payout = Payout.objects.get(pk=payout_id)
    if payout.status != PayoutStatus.PENDING_AUTHORIZATION:
        raise Conflict("This payout is not awaiting an OTP.")
    otp = (otp or "").strip()
    if not otp:
        raise ServiceError("Enter the OTP Monnify sent.")
    try:
        body = monnify_client().authorize_transfer(reference=payout.reference, otp=otp)
    except MonnifyRequestError as error:
        raise ServiceError(f"Monnify refused the OTP: {error.message}") from error
    except MonnifyError as error:
        raise ExternalServiceError("Monnify is unavailable; try again shortly.") from error
    return payout_apply_transfer(payout_id=payout.pk, body=body)


def payout_requery(*, payout_id: str) -> Payout:
    """Ask Monnify about a payout in flight; resend one Monnify never received."""
    payout = Payout.objects.get(pk=payout_id)
    try:
        body = monnify_client().transfer_summary(payout.reference)
    except MonnifyRequestError:
        if payout.status == PayoutStatus.SUBMITTING:
            return payout_submit(payout_id=payout.pk)
        raise
    return payout_apply_transfer(payout_id=payout.pk, body=body)


def payouts_in_flight() -> list[str]:
    settled_after = timezone.now() - timedelta(minutes=1)
    return list(
        Payout.objects.filter(
            status__in=[PayoutStatus.SUBMITTING, PayoutStatus.PROCESSING, PayoutStatus.PENDING_AUTHORIZATION],
            updated_at__lt=settled_after,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def _disbursement_event_process(event: MonnifyWebhookEvent, data: dict):
    payout = Payout.objects.filter(reference=data.get("reference") or "").first()
    if payout is None:
        _event_finish(event, WebhookEventStatus.IGNORED, "no payout with this reference")
        return
    try:
        # As with collections, the event only prompts us: Monnify's summary is what we apply.
        body = monnify_client().transfer_summary(payout.reference)
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.FAILED, error.message)
        raise ExternalServiceError("Monnify could not confirm the transfer.") from error
    payout_apply_transfer(payout_id=payout.pk, body=body)
    _event_finish(event, WebhookEventStatus.PROCESSED)


# --- the shopper's payment page --------------------------------------------------------------------

REFRESH_INTERVAL_SECONDS = 20


def payment_refresh_if_due(*, payment: Payment) -> Payment:
    """Re-query a pending payment for a shopper watching it, at most every 20 s per payment.

    Webhooks are usually first; this keeps the page honest when one is slow or lost.
    """
    if payment.status != PaymentStatus.PENDING or not payment.monnify_reference:
        return payment
    if not cache.add(f"payments:refresh:{payment.pk}", 1, REFRESH_INTERVAL_SECONDS):
        return payment
    try:
        payment_reconcile(payment=payment)
    except (MonnifyError, ServiceError) as error:
        logger.info("payments: refresh of %s skipped: %s", payment.payment_reference, error)
    payment.refresh_from_db()
    return payment


# --- refunds -------------------------------------------------------------------------------------

REFUND_MINIMUM = Decimal("10.00")  # Monnify's minimum refund (R4 below it)
REFUND_STATUSES = {
    "COMPLETED": RefundStatus.COMPLETED,
    "FAILED": RefundStatus.FAILED,
    "IN_PROGRESS": RefundStatus.IN_PROGRESS,
}
REFUND_RANK = {
    RefundStatus.PENDING: 0,
    RefundStatus.IN_PROGRESS: 1,
    RefundStatus.COMPLETED: 2,
    RefundStatus.FAILED: 2,
}
REFUND_EVENTS = frozenset({"SUCCESSFUL_REFUND", "FAILED_REFUND"})


def payment_refund_start(*, payment: Payment, reason: str, amount=None, user=None) -> Refund:
    """Send money that arrived for a payment back to the shopper through a Monnify refund.

    All of what is still refundable by default. Covers a paid payment (the order cancelled, or an
    overpayment's excess), and an expired one that received money Monnify still holds (a late or
    a short transfer). Money that was credited to the merchant's balance (a paid payment's sale)
    leaves it at once and a failed refund books it back; money that never reached the balance
    (expired payments) is refunded without touching it. With `user`, another merchant's payment
    is not found.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if user is not None and payment.user_id != user.pk:
            raise NotFound("Payment not found.")
        # The merchant row too, before any plain read: the refunds and the balance below are then
        # read after both locks (REPEATABLE READ takes its snapshot at the first plain read).
        _lock_owner(get_user_model()(pk=payment.user_id))
        remaining = payment_refundable(payment=payment)
        if remaining <= 0 or not payment.monnify_reference:
            if payment.status == PaymentStatus.PENDING and payment_received(payment=payment) > 0:
                raise Conflict("The shopper can still complete this payment: refund it once it expires.")
            raise Conflict("Only a paid payment, or money that arrived for an expired one, can be refunded.")
        try:
            amount = (
                remaining if amount is None else Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            )
        except InvalidOperation:
            raise ServiceError("Enter the refund amount in naira, e.g. 1500.00.") from None
        if not amount.is_finite() or amount < REFUND_MINIMUM or amount > remaining:
            raise ServiceError(f"A refund must be between ₦{REFUND_MINIMUM} and ₦{remaining:,.2f}.")
        credited = _sale_credited(payment)
        if credited and amount > ledger_balance(user=payment.user):
            raise InsufficientBalance("The balance is too low to fund this refund.")
        refund = Refund.objects.create(
            payment=payment,
            merchant_id=payment.user_id,
            amount=amount,
            reference=f"AGMRF-{secrets.token_hex(8).upper()}",
            reason=(reason or "Order cancelled")[:64],
        )
        if credited:
            _ledger_book(
                merchant_id=payment.user_id,
                kind=LedgerKind.DEBIT_REFUND,
                amount=-amount,
                reference=_refund_debit_reference(refund),
                payment=payment,
                description=f"Refund {refund.reference}",
            )
        transaction.on_commit(lambda: _refund_queue_submit(refund.pk), robust=True)
    return refund


def _sale_credited(payment: Payment) -> bool:
    return LedgerEntry.objects.filter(reference=f"sale:{payment.payment_reference}").exists()


def _refund_debit_reference(refund: Refund) -> str:
    return f"refund:{refund.reference}"


def _refund_queue_submit(refund_id: str):
    from payments.tasks import refund_submit

    refund_submit.delay(refund_id)


def refund_submit(*, refund_id: str) -> Refund:
    """Send a pending refund to Monnify. Raises MonnifyUnavailable so the task can retry."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING:
        return refund
    client = monnify_client()
    try:
        body = client.initiate_refund(
            transaction_reference=refund.payment.monnify_reference,
            refund_reference=refund.reference,
            amount=refund.amount,
            reason=refund.reason,
            customer_note=f"Refund {refund.payment.order.order_number}",
        )
    except MonnifyRequestError as error:
        try:
            body = client.refund_status(refund.reference)  # an earlier attempt may have got through
        except MonnifyRequestError:
            return refund_apply_status(
                refund_id=refund.pk, body={"refundStatus": "FAILED", "comment": error.message}
            )
    except MonnifyUnavailable as error:
        # The refund stays `pending`; a resend under the same reference cannot refund twice.
        logger.warning("payments: refund %s outcome unknown: %s", refund.reference, error)
        raise
    except MonnifyError as error:
        logger.warning("payments: refund %s outcome unknown: %s", refund.reference, error)
        return refund
    return refund_apply_status(refund_id=refund.pk, body=body)


def refund_apply_status(*, refund_id: str, body: dict) -> Refund:
    new = REFUND_STATUSES.get(str(body.get("refundStatus") or "").upper())
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if new is None or REFUND_RANK[new] <= REFUND_RANK[refund.status]:
            return refund
        refund.status = new
        if new == RefundStatus.FAILED:
            refund.failure_reason = str(body.get("comment") or "Monnify could not refund")[:255]
            if LedgerEntry.objects.filter(reference=_refund_debit_reference(refund)).exists():
                # Only money that left the balance comes back to it.
                _ledger_book(
                    merchant_id=refund.merchant_id,
                    kind=LedgerKind.CREDIT_REFUND_REVERSAL,
                    amount=refund.amount,
                    reference=f"refund-reversal:{refund.reference}",
                    payment_id=refund.payment_id,
                    description=f"Refund {refund.reference} failed",
                )
        if new in (RefundStatus.COMPLETED, RefundStatus.FAILED):
            refund.completed_at = timezone.now()
        refund.save()
        if new == RefundStatus.COMPLETED:
            _payment_mark_refunded_if_whole(refund.payment_id)
    return refund


def _payment_mark_refunded_if_whole(payment_id: str):
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    completed = sum(
        (r.amount for r in payment.refunds.filter(status=RefundStatus.COMPLETED)), start=Decimal("0.00")
    )
    if payment.status == PaymentStatus.PAID and completed >= payment.amount:
        payment.status = PaymentStatus.REFUNDED
        payment.save(update_fields=["status", "updated_at"])
        Order.objects.filter(pk=payment.order_id, payment_status=PaymentStatus.PAID).update(
            payment_status=PaymentStatus.REFUNDED
        )


def refund_requery(*, refund_id: str) -> Refund:
    refund = Refund.objects.get(pk=refund_id)
    try:
        body = monnify_client().refund_status(refund.reference)
    except MonnifyRequestError:
        if refund.status == RefundStatus.PENDING:
            return refund_submit(refund_id=refund.pk)
        raise
    return refund_apply_status(refund_id=refund.pk, body=body)


def refunds_in_flight() -> list[str]:
    settled_after = timezone.now() - timedelta(minutes=1)
    return list(
        Refund.objects.filter(
            status__in=[RefundStatus.PENDING, RefundStatus.IN_PROGRESS], updated_at__lt=settled_after
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def _refund_event_process(event: MonnifyWebhookEvent, data: dict):
    refund = Refund.objects.filter(reference=data.get("refundReference") or "").first()
    if refund is None:
        _event_finish(event, WebhookEventStatus.IGNORED, "no refund with this reference")
        return
    try:
        body = monnify_client().refund_status(refund.reference)
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.FAILED, error.message)
        raise ExternalServiceError("Monnify could not confirm the refund.") from error
    refund_apply_status(refund_id=refund.pk, body=body)
    _event_finish(event, WebhookEventStatus.PROCESSED)
