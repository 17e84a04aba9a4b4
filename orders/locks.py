"""The orders app's row locks, in the one order every write takes them.

    an order's payments (payments registers that lock, orders/payment_hooks.py)
    → the order → its pay-on-delivery plan → its products (by primary key) → the coupon

Checkout takes the products and then the coupon before it inserts the order; cancelling and
payment expiry lock the order and then give back its products and coupon use; the webhook path
locks the payment before it confirms the order. Taking them in this order everywhere means two
transactions that need the same rows queue instead of deadlocking. Each lock is
`SELECT … FOR UPDATE` on one table: MariaDB has no `FOR UPDATE OF`, so a join would also lock
the store and merchant rows that concurrent checkouts hold shared locks on.

Recovery (orders/services/recovery.py) locks the order, or the abandoned checkout, alone and
then inserts its RecoveryMessage; a checkout updates abandoned checkouts and recovery
messages after its products, so those two tables always come last.
"""

from collections.abc import Iterable

from catalog.models import Product
from orders.models import AbandonedCheckout, Coupon, Order, OrderPaymentPlan
from stores.models import Store


def order_lock(order_id: str) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def payment_plan_lock(order_id: str) -> OrderPaymentPlan:
    """A pay-on-delivery order's plan: always right after its order, never before it."""
    return OrderPaymentPlan.objects.select_for_update().get(order_id=order_id)


def products_lock(*, product_ids: Iterable[str]) -> dict[str, Product]:
    products = Product.objects.select_for_update().filter(pk__in=set(product_ids)).order_by("pk")
    return {product.pk: product for product in products}


def coupon_lock(*, store: Store, code: str) -> Coupon | None:
    return Coupon.objects.select_for_update().filter(store=store, code=code).first()


def coupon_lock_by_id(coupon_id: int | str) -> Coupon:
    return Coupon.objects.select_for_update().get(pk=coupon_id)


def abandoned_checkout_lock(checkout_id: int) -> AbandonedCheckout:
    """A checkout being reminded about (its store is read after, unlocked)."""
    return AbandonedCheckout.objects.select_for_update().get(pk=checkout_id)
