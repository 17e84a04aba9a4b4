"""Refunds: money that arrived for a payment sent back to the shopper through Monnify."""

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, NotFound, ServiceError
from config.money import naira, to_kobo
from orders.models import Order, PaymentStatus
from orders.services import customer_refresh_on_commit
from outbox.services import outbox_enqueue
from payments import locks, messages, tasks
from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    Refund,
    RefundStatus,
)
from payments.monnify import (
    monnify_client,
)
from payments.selectors import (
    REFUND_MINIMUM,
    ledger_balance,
    payment_received,
    payment_refundable,
)
from payments.services.ledger import InsufficientBalance, ledger_book
from payments.services.sending import Refused, monnify_look_up_or_resend, monnify_send_once

REFUND_STATUSES = {
    "COMPLETED": RefundStatus.COMPLETED,
    "FAILED": RefundStatus.FAILED,
    "IN_PROGRESS": RefundStatus.IN_PROGRESS,
}
REFUND_RANK: dict[str, int] = {
    RefundStatus.PENDING: 0,
    RefundStatus.IN_PROGRESS: 1,
    RefundStatus.COMPLETED: 2,
    RefundStatus.FAILED: 2,
}
REFUND_EVENTS = frozenset({"SUCCESSFUL_REFUND", "FAILED_REFUND"})


def payment_refund_start(
    *, payment: Payment, reason: str, amount: Decimal | str | None = None, user: User | None = None
) -> Refund:
    """Send money that arrived for a payment back to the shopper through a Monnify refund.

    All of what is still refundable by default. Covers a paid payment (the order cancelled, or an
    overpayment's excess), and an expired one that received money Monnify still holds (a late or
    a short transfer). Money that was credited to the merchant's balance (a paid payment's sale)
    leaves it at once and a failed refund books it back; money that never reached the balance
    (expired payments) is refunded without touching it. With `user`, another merchant's payment
    is not found.
    """
    with transaction.atomic():
        payment = locks.payment_lock(payment.pk)
        if user is not None and payment.user_id != user.pk:
            raise NotFound("Payment not found.")
        # The merchant row too, before any plain read: the refunds and the balance below are then
        # read after both locks (REPEATABLE READ takes its snapshot at the first plain read).
        locks.merchant_lock(payment.user_id)
        remaining = payment_refundable(payment=payment)
        if remaining <= 0 or not payment.monnify_reference:
            if payment.status == PaymentStatus.PENDING and payment_received(payment=payment) > 0:
                raise Conflict("The shopper can still complete this payment: refund it once it expires.")
            raise Conflict("Only a paid payment, or money that arrived for an expired one, can be refunded.")
        try:
            amount = remaining if amount is None else to_kobo(Decimal(str(amount)))
        except InvalidOperation:
            raise ServiceError("Enter the refund amount in naira, e.g. 1500.00.") from None
        if not amount.is_finite() or amount < REFUND_MINIMUM or amount > remaining:
            raise ServiceError(f"A refund must be between {naira(REFUND_MINIMUM)} and {naira(remaining)}.")
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
            ledger_book(
                merchant_id=payment.user_id,
                kind=LedgerKind.DEBIT_REFUND,
                amount=-amount,
                reference=_refund_debit_reference(refund),
                payment=payment,
                description=f"Refund {refund.reference}",
            )
        outbox_enqueue(task=tasks.refund_submit, refund_id=refund.pk)
    return refund


def _sale_credited(payment: Payment) -> bool:
    return LedgerEntry.objects.filter(reference=f"sale:{payment.payment_reference}").exists()


def _refund_debit_reference(refund: Refund) -> str:
    return f"refund:{refund.reference}"


def refund_submit(*, refund_id: str) -> Refund:
    """Send a pending refund to Monnify. Raises MonnifyUnavailable so the task can retry."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING:
        return refund
    client = monnify_client()
    # Unreachable: MonnifyUnavailable, and the refund stays `pending` for the task's retry.
    outcome = monnify_send_once(
        what=f"refund {refund.reference}",
        send=lambda: client.initiate_refund(
            transaction_reference=refund.payment.monnify_reference or "",
            refund_reference=refund.reference,
            amount=refund.amount,
            reason=refund.reason,
            customer_note=f"Refund {refund.payment.order.order_number}",
        ),
        look_up=lambda: client.refund_status(refund.reference),
    )
    if outcome is None:
        return refund
    if isinstance(outcome, Refused):
        return refund_apply_status(
            refund_id=refund.pk, body={"refundStatus": "FAILED", "comment": outcome.message}
        )
    return refund_apply_status(refund_id=refund.pk, body=outcome)


def refund_apply_status(*, refund_id: str, body: dict[str, Any]) -> Refund:
    new = REFUND_STATUSES.get(str(body.get("refundStatus") or "").upper())
    with transaction.atomic():
        refund = locks.refund_lock(refund_id)
        if new is None or REFUND_RANK[new] <= REFUND_RANK[refund.status]:
            return refund
        refund.status = new
        if new == RefundStatus.FAILED:
            refund.failure_reason = str(body.get("comment") or "Monnify could not refund")[:255]
            if LedgerEntry.objects.filter(reference=_refund_debit_reference(refund)).exists():
                # Only money that left the balance comes back to it.
                ledger_book(
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
        if new in (RefundStatus.COMPLETED, RefundStatus.FAILED):
            # The status only moves forward, so this is queued once per refund.
            transaction.on_commit(lambda: messages.send_refund_outcome(refund_id=refund.pk), robust=True)
    return refund


def _payment_mark_refunded_if_whole(payment_id: str) -> None:
    payment = locks.payment_lock(payment_id)
    completed = sum(
        (r.amount for r in payment.refunds.filter(status=RefundStatus.COMPLETED)), start=Decimal("0.00")
    )
    if payment.status == PaymentStatus.PAID and completed >= payment.amount:
        payment.status = PaymentStatus.REFUNDED
        payment.save(update_fields=["status", "updated_at"])
        Order.objects.filter(pk=payment.order_id, payment_status=PaymentStatus.PAID).update(
            payment_status=PaymentStatus.REFUNDED, updated_at=timezone.now()
        )
        customer_refresh_on_commit(Order.objects.only("store_id", "customer_phone").get(pk=payment.order_id))


def refund_requery(*, refund_id: str) -> Refund:
    refund = Refund.objects.get(pk=refund_id)
    return monnify_look_up_or_resend(
        look_up=lambda: monnify_client().refund_status(refund.reference),
        unsent=refund.status == RefundStatus.PENDING,
        resend=lambda: refund_submit(refund_id=refund.pk),
        apply=lambda body: refund_apply_status(refund_id=refund.pk, body=body),
    )
