"""The shopper's cart: kept in the session, one per store, priced from the database on every view.

The session holds only product ids, quantities and option choices; prices and stock are
read again whenever the cart is shown and once more, under locks, when the order is placed.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Product
from config.money import MONEY_MAX
from orders import pricing
from orders.services import MAX_LINES, MAX_QUANTITY

SESSION_PREFIX = "cart:"
PLACED_SESSION_KEY = "orders:placed"
PLACED_REMEMBERED = 20


@dataclass
class CartLine:
    key: str
    product: Product
    quantity: int
    variant_selection: dict
    subtotal: Decimal
    problem: str | None


def line_key(product_id: str, variant_selection: dict | None) -> str:
    return product_id + ":" + json.dumps(variant_selection or {}, sort_keys=True)


def _entries(session, store) -> list[dict]:
    return list(session.get(SESSION_PREFIX + store.pk, []))


def _save(session, store, entries) -> None:
    session[SESSION_PREFIX + store.pk] = entries


def cart_add(session, *, store, product_id: str, quantity: int, variant_selection: dict | None) -> None:
    entries = _entries(session, store)
    key = line_key(product_id, variant_selection)
    for entry in entries:
        if line_key(entry["product_id"], entry["variant_selection"]) == key:
            entry["quantity"] = min(entry["quantity"] + quantity, MAX_QUANTITY)
            break
    else:
        if len(entries) >= MAX_LINES:
            return
        entries.append(
            {"product_id": product_id, "quantity": quantity, "variant_selection": variant_selection or None}
        )
    _save(session, store, entries)


def cart_set_quantity(session, *, store, key: str, quantity: int) -> None:
    entries = [
        {**entry, "quantity": quantity}
        if line_key(entry["product_id"], entry["variant_selection"]) == key
        else entry
        for entry in _entries(session, store)
    ]
    _save(session, store, [entry for entry in entries if entry["quantity"] > 0])


def cart_clear(session, *, store) -> None:
    session.pop(SESSION_PREFIX + store.pk, None)


def cart_checkout_lines(session, *, store) -> list[dict]:
    return [
        {
            "product_id": e["product_id"],
            "quantity": e["quantity"],
            "variant_selection": e["variant_selection"],
        }
        for e in _entries(session, store)
    ]


def cart_lines(session, *, store) -> list[CartLine]:
    """The cart with current prices; products gone from the store drop out of it."""
    entries = _entries(session, store)
    products = Product.objects.in_bulk([entry["product_id"] for entry in entries])
    lines = []
    for entry in entries:
        product = products.get(entry["product_id"])
        if product is None or product.store_id != store.pk:
            continue
        quantity = entry["quantity"]
        problem = None
        if not product.is_active or product.deleted_at is not None:
            problem = "No longer available."
        elif product.price * quantity > MONEY_MAX:
            # order_place refuses it too: the subtotal would not fit the DECIMAL(12,2) columns
            problem = f"At most {int(MONEY_MAX // product.price):,} fit in one order."
        elif product.stock_quantity is not None and product.stock_quantity < quantity:
            problem = (
                f"Only {product.stock_quantity} left in stock." if product.stock_quantity > 0 else "Sold out."
            )
        lines.append(
            CartLine(
                key=line_key(product.pk, entry["variant_selection"]),
                product=product,
                quantity=quantity,
                variant_selection=entry["variant_selection"] or {},
                subtotal=pricing.lines_subtotal([(product.price, quantity)]),
                problem=problem,
            )
        )
    return lines


def cart_count_for_store(session, *, store_id) -> int:
    """Items in the cart, read from the session alone (the cached pages' header count)."""
    return sum(entry.get("quantity", 0) for entry in session.get(SESSION_PREFIX + str(store_id), []))


def order_remember_placed(session, *, order_number: str) -> None:
    """The shopper's browser placed this order: its page may show them the full details."""
    placed = session.get(PLACED_SESSION_KEY, [])
    session[PLACED_SESSION_KEY] = [*placed[-(PLACED_REMEMBERED - 1) :], order_number]


def order_placed_here(session, *, order_number: str) -> bool:
    return order_number in session.get(PLACED_SESSION_KEY, [])
