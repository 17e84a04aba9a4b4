"""Reads of the payments app that the API, the pages and the tasks share."""

from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from config.errors import NotFound
from orders.models import OrderStatus, PaymentStatus
from payments.models import BankAccount, LedgerEntry, Payment, Payout


def payment_get_public(*, reference: str) -> Payment:
    """A payment by our reference, for the shopper's payment page (no owner: the reference is the key)."""
    payment = Payment.objects.select_related("order__store").filter(payment_reference=reference).first()
    if payment is None:
        raise NotFound("No payment with this reference.")
    return payment


def bank_accounts_for_user(*, user):
    return BankAccount.objects.filter(user=user, deleted_at__isnull=True).order_by(
        "-is_primary", "-created_at"
    )


def bank_account_get(*, user, account_id: str) -> BankAccount:
    """One of the merchant's own live accounts; anyone else's id is simply not found."""
    account = bank_accounts_for_user(user=user).filter(pk=account_id).first()
    if account is None:
        raise NotFound("Bank account not found.")
    return account


def ledger_balance(*, user) -> Decimal:
    """Available balance: the sum of the merchant's ledger entries."""
    total = LedgerEntry.objects.filter(merchant=user).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def payouts_for_user(*, user):
    return Payout.objects.filter(merchant=user).order_by("-created_at")


def payout_get(*, user, payout_id: str) -> Payout:
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
        raise Http404("No such payment")
    return payment


def payments_for_merchant(*, user):
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


def payment_get_for_merchant(*, user, payment_id) -> Payment:
    payment = Payment.objects.select_related("order").filter(user=user, pk=str(payment_id)).first()
    if payment is None:
        raise NotFound("Payment not found.")
    return payment


def payment_open_for_order(*, order) -> Payment | None:
    """The order's pending payment, which the shopper's payment page shows, if any."""
    if order.status == OrderStatus.CANCELLED:
        return None  # its stock is back on the shelf: nothing is left to pay for
    return order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()
