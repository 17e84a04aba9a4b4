"""Taking and returning stock under row locks.

Product rows are always locked in primary-key order, whoever locks them (checkout,
cancel, payment expiry): orders/locks.py holds that lock and the order it is taken in.
"""

from django.db.models import F

from catalog.models import Product
from catalog.validation import DEFAULT_LOW_STOCK_THRESHOLD
from notifications.models import AlertKind
from orders.locks import products_lock


def take_stock(*, product: Product, quantity: int) -> None:
    """Decrease a locked product's stock; products without a stock count are not tracked."""
    if product.stock_quantity is None:
        return
    Product.objects.filter(pk=product.pk).update(stock_quantity=F("stock_quantity") - quantity)
    product.stock_quantity -= quantity


def return_stock(*, quantities: dict[str, int]) -> bool:
    """Give back stock for {product id: quantity}, locking the rows in primary-key order first.

    True when a tracked stock count changed (the storefront then shows it).
    """
    products = products_lock(product_ids=quantities)
    changed = False
    for product_id in sorted(products):
        if products[product_id].stock_quantity is not None:
            Product.objects.filter(pk=product_id).update(
                stock_quantity=F("stock_quantity") + quantities[product_id]
            )
            changed = True
    return changed


def threshold_crossed(*, product: Product, before: int | None) -> str | None:
    """The alert a stock change from `before` to the product's (locked) count calls for.

    Only a crossing counts: from above the threshold to at or below it (low stock), from some
    to none (sold out). Staying low sends nothing, and the same level can be crossed again
    only after a restock, so each crossing alerts once.
    """
    after = product.stock_quantity
    if before is None or after is None or after >= before:
        return None
    if before > 0 >= after:
        return AlertKind.SOLD_OUT
    threshold = product.low_stock_threshold
    threshold = DEFAULT_LOW_STOCK_THRESHOLD if threshold is None else threshold
    if before > threshold >= after:
        return AlertKind.LOW_STOCK
    return None
