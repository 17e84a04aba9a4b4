"""Taking and returning stock under row locks.

Product rows are always locked in primary-key order, whoever locks them (checkout,
cancel, payment expiry): two transactions that need the same products then queue for
them in the same order and cannot deadlock.
"""

from django.db.models import F

from catalog.models import Product


def lock_products(*, product_ids) -> dict[str, Product]:
    products = Product.objects.select_for_update().filter(pk__in=set(product_ids)).order_by("pk")
    return {product.pk: product for product in products}


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
    products = lock_products(product_ids=quantities)
    changed = False
    for product_id in sorted(products):
        if products[product_id].stock_quantity is not None:
            Product.objects.filter(pk=product_id).update(
                stock_quantity=F("stock_quantity") + quantities[product_id]
            )
            changed = True
    return changed
