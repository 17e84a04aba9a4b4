"""The payments app's row locks, in the one order every write takes them.

    payments of an order (by primary key) → the order → the merchant's user row → a payout / refund

The webhook path locks the payment and then confirms its order; cancelling an order locks the
order's payments first for the same reason, so the two can never wait on each other. Money
leaving a merchant's balance (payouts, refunds, bank-account changes) serialises on the
merchant's user row. A lock here is `SELECT … FOR UPDATE` on one table only: MariaDB has no
`FOR UPDATE OF`, so a join would also lock the store and merchant rows that concurrent
checkouts hold shared locks on.
"""

from django.contrib.auth import get_user_model

from orders.models import Order
from payments.models import Payment, Payout, Refund


def payment_lock(payment_id: str) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


def payments_lock_for_order(*, order_id: str) -> None:
    """Lock an order's payments before the order itself, as the webhook path does."""
    list(Payment.objects.select_for_update().filter(order_id=order_id).order_by("pk").values_list("pk"))


def order_lock(order_id: str) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def merchant_lock(user_id: str) -> None:
    """Serialises one merchant's balance and bank-account changes (primary flag, count limit)."""
    get_user_model().objects.select_for_update().filter(pk=user_id).first()


def payout_lock(payout_id: str) -> Payout:
    return Payout.objects.select_for_update().get(pk=payout_id)


def refund_lock(refund_id: str) -> Refund:
    return Refund.objects.select_for_update().get(pk=refund_id)


def payments_lock_pending(*, order_id: str) -> list[Payment]:
    """An order's pending payments, locked (cancelling an order closes them)."""
    return list(
        Payment.objects.select_for_update().filter(order_id=order_id, status="pending").order_by("pk")
    )
