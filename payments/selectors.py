"""Reads of the payments app that the API, the pages and the tasks share."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from config.errors import NotFound
from config.money import ZERO
from orders.models import OrderPaymentPlan, PaymentStatus
from payments.models import (
    BankAccount,
    LedgerEntry,
    LedgerKind,
    MerchantBalance,
    Payment,
    Payout,
    PayoutStatus,
    Refund,
    RefundStatus,
)
from payments.monnify import parse_amount
from payments.payment_state import PaymentState

# Monnify keeps a one-time account for 40 minutes; a payment started without one (Monnify
# was down) is given the same time before it expires.
ACCOUNT_LIFETIME = timedelta(seconds=2400)
REFUND_MINIMUM = Decimal("10.00")  # Monnify's minimum refund (R4 below it)
# The flags whose money the merchant may send back, and the reason a refund of each defaults to.
REFUND_REASONS = {
    "partly_paid": "Short transfer returned",
    "overpaid": "Overpayment excess",
    "late_payment": "Paid after the order expired",
    "paid_after_cancel": "Order cancelled",
}


def payment_get_public(*, reference: str) -> Payment:
    """A payment by our reference, for the shopper's payment page (no owner: the reference is the key)."""
    payment = Payment.objects.select_related("order__store").filter(payment_reference=reference).first()
    if payment is None:
        raise NotFound("No payment with this reference.")
    return payment


def bank_accounts_for_user(*, user: Any) -> QuerySet[BankAccount]:
    return BankAccount.objects.filter(user=user, deleted_at__isnull=True).order_by(
        "-is_primary", "-created_at"
    )


def bank_account_get(*, user: Any, account_id: str) -> BankAccount:
    """One of the merchant's own live accounts; anyone else's id is simply not found."""
    account = bank_accounts_for_user(user=user).filter(pk=account_id).first()
    if account is None:
        raise NotFound("Bank account not found.")
    return account


def ledger_balance(*, user: Any) -> Decimal:
    """Available balance: the merchant's running figure, which equals their ledger sum
    (`payments.services.ledger.ledger_book` keeps it; one primary-key read at any size)."""
    balance = MerchantBalance.objects.filter(pk=user.pk).values_list("balance", flat=True).first()
    return balance if balance is not None else Decimal("0.00")


def ledger_sum(*, user: Any) -> Decimal:
    """The balance summed from every ledger entry: what the running figure must equal."""
    total = LedgerEntry.objects.filter(merchant=user).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def payouts_for_user(*, user: Any) -> QuerySet[Payout]:
    return Payout.objects.filter(merchant=user).order_by("-created_at")


def payout_get(*, user: Any, payout_id: str) -> Payout:
    payout = payouts_for_user(user=user).filter(pk=payout_id).first()
    if payout is None:
        raise NotFound("Payout not found.")
    return payout


def payment_get_for_store(*, username: str, reference: str) -> Payment:
    """The shopper's payment page: the reference must belong to an order of this store."""
    payment = (
        Payment.objects.select_related("order__store")
        .filter(
            payment_reference=reference,
            order__store__username=username,
            order__store__deleted_at__isnull=True,
        )
        .first()
    )
    if payment is None:
        raise NotFound("No such payment.")
    return payment


def payments_for_merchant(*, user: Any) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(user=user)
        .select_related("order")
        .only(
            "id",
            "payment_reference",
            "amount",
            "status",
            "payment_method",
            "metadata",
            "paid_at",
            "created_at",
            "order__id",
            "order__order_number",
            "order__customer_name",
        )
        .order_by("-created_at")
    )


def payment_get_for_merchant(*, user: Any, payment_id: Any) -> Payment:
    payment = Payment.objects.select_related("order").filter(user=user, pk=str(payment_id)).first()
    if payment is None:
        raise NotFound("Payment not found.")
    return payment


def payment_received(*, payment: Payment) -> Decimal:
    """What Monnify reported arriving for the payment (at least the total once it is paid)."""
    received = PaymentState.of(payment).amount_paid or Decimal("0.00")
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        received = max(received, payment.amount)
    return received


def payment_refundable(*, payment: Payment) -> Decimal:
    """Money that arrived, less refunds that did not fail; zero where nothing can be refunded.

    A pending payment is still open (a short transfer may be topped up), and a reversed one's
    money already went back. Uses `payment.refunds.all()`, so a prefetch serves a whole page.
    """
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.EXPIRED):
        return Decimal("0.00")
    if PaymentState.of(payment).reversed:
        return Decimal("0.00")
    refunded = sum(
        (r.amount for r in payment.refunds.all() if r.status != RefundStatus.FAILED), start=Decimal("0.00")
    )
    return max(payment_received(payment=payment) - refunded, Decimal("0.00"))


def payment_refund_suggestion(*, payment: Payment) -> Decimal:
    """The amount a flagged payment's refund should default to: an overpayment's excess, else all."""
    refundable = payment_refundable(payment=payment)
    state = PaymentState.of(payment)
    overpaid = state.overpaid
    if state.flag == "overpaid" and overpaid:
        refunded = payment_received(payment=payment) - refundable
        excess = (parse_amount(overpaid["excess"]) or Decimal("0.00")) - refunded
        if excess > 0:
            return min(excess, refundable)
    return refundable


@dataclass(frozen=True)
class RefundOffer:
    amount: Decimal
    reason: str


def payment_refund_offer(*, payment: Payment) -> RefundOffer | None:
    """The refund the payments page offers for a flagged payment, or None: not flagged for one,
    or less than Monnify's minimum left to refund."""
    flag = PaymentState.of(payment).flag
    if flag not in REFUND_REASONS or payment_refundable(payment=payment) < REFUND_MINIMUM:
        return None
    return RefundOffer(amount=payment_refund_suggestion(payment=payment), reason=REFUND_REASONS[flag])


def payment_can_retry(*, payment: Payment) -> bool:
    """Monnify could not be reached when the payment started: the page offers "try again"."""
    return (
        payment.status == PaymentStatus.PENDING
        and not payment.account_number
        and PaymentState.of(payment).start_error is not None
    )


def payments_due_for_requery() -> list[str]:
    """Pending payments young enough to still be paid: the ids the periodic job re-queries."""
    since = timezone.now() - timedelta(days=2)
    return list(
        Payment.objects.filter(status=PaymentStatus.PENDING, created_at__gte=since)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def payments_due_for_expiry() -> list[str]:
    """Pending payments whose transfer account lapsed (or never opened) past the grace period."""
    grace = timedelta(seconds=settings.PAYMENT_EXPIRY_GRACE_SECONDS)
    now = timezone.now()
    with_account = Payment.objects.filter(status=PaymentStatus.PENDING, expires_at__lt=now - grace)
    without_account = Payment.objects.filter(
        status=PaymentStatus.PENDING, expires_at__isnull=True, created_at__lt=now - ACCOUNT_LIFETIME - grace
    )
    return list((with_account | without_account).order_by("created_at").values_list("pk", flat=True))


def payouts_in_flight() -> list[str]:
    """Payouts sent to Monnify and not settled a minute later: the periodic job re-queries them."""
    settled_after = timezone.now() - timedelta(minutes=1)
    return list(
        Payout.objects.filter(
            status__in=[PayoutStatus.SUBMITTING, PayoutStatus.PROCESSING, PayoutStatus.PENDING_AUTHORIZATION],
            updated_at__lt=settled_after,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def refunds_in_flight() -> list[str]:
    """Refunds not settled a minute after they changed: the periodic job re-queries them."""
    settled_after = timezone.now() - timedelta(minutes=1)
    return list(
        Refund.objects.filter(
            status__in=[RefundStatus.PENDING, RefundStatus.IN_PROGRESS], updated_at__lt=settled_after
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def pod_ledger_summary(*, user: User) -> dict[str, Decimal]:
    """Pay on delivery on the payments page: deposits and transfer balances credited (ledger
    kinds of their own), and cash balances, which are recorded on the order and never credited."""
    sums = dict(
        LedgerEntry.objects.filter(
            merchant=user,
            kind__in=[LedgerKind.CREDIT_DEPOSIT, LedgerKind.CREDIT_BALANCE, LedgerKind.DEBIT_CASH_FEE],
        )
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    cash = OrderPaymentPlan.objects.filter(order__store__user=user, balance_method="cash").aggregate(
        total=Sum("balance_amount")
    )["total"]
    summary = {
        "deposits": sums.get(LedgerKind.CREDIT_DEPOSIT) or ZERO,
        "balances_transfer": sums.get(LedgerKind.CREDIT_BALANCE) or ZERO,
        "cash_fees": -(sums.get(LedgerKind.DEBIT_CASH_FEE) or ZERO),
        "balances_cash": cash or ZERO,
    }
    summary["anything"] = any(summary.values())
    return summary
