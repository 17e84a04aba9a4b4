"""Placing an order: one `order_place` serves the storefront checkout, the API and bookings.

It runs in one transaction: the products are locked (primary-key order, orders/locks.py), the
prices are the database's, the stock is taken, and the payment row is created; any failure
writes nothing.
"""

import hashlib
import secrets
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Product
from config.errors import Conflict, NotFound
from config.money import MONEY_MAX, naira
from orders import locks, messages, metrics, pricing, stock
from orders.models import (
    Coupon,
    CouponRedemption,
    DeliveryRate,
    DeliverySettings,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderItem,
    OrderSource,
    OrderStatus,
    PaymentStatus,
)
from orders.payment_hooks import order_payments
from orders.pricing import DeliveryMethod
from orders.services.checkout import (
    CheckoutCustomer,
    CheckoutLine,
    IdempotencyConflict,
    InvalidCheckout,
    OutOfStock,
    check_variant_selection,
    checkout_fingerprint,
    clean_amount,
    clean_customer,
    clean_delivery_method,
    clean_idempotency_key,
    clean_lines,
    first_image,
    recorded_selection,
    with_booking_slot,
)
from orders.services.coupons import coupon_lock_for_checkout
from orders.services.customers import customer_refresh_on_commit
from orders.services.pod import clean_payment_plan, plan_create
from orders.services.recovery import recovery_note_order_placed
from stores.models import Store
from stores.services import storefront_cache_bump

ORDER_NUMBER_PREFIX = "AGM-"
# Crockford's base32: no I, L, O or U, so a number read over the phone is not misheard.
ORDER_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ORDER_NUMBER_LENGTH = 8
ORDER_NUMBER_ATTEMPTS = 5


def order_place(
    *,
    store: Store,
    customer: dict[str, Any],
    lines: list[dict[str, Any]],
    coupon_code: str | None = None,
    idempotency_key: str | None = None,
    delivery_method: str = DeliveryMethod.DELIVERY,
    expected_total: object = None,
    booking_slot: dict[str, str] | None = None,
    source: str | None = None,
    payment_plan: str | None = None,
    expected_deposit: object = None,
) -> Order:
    """Place an order at database prices, taking stock under row locks.

    The same `idempotency_key` with the same checkout gives back the order it first made;
    with a different checkout it is refused (409). Any failure writes nothing.

    `booking_slot` ({"Date": "YYYY-MM-DD", "Time": "HH:MM"}) is for a bookings store's one
    service: it is recorded in the item's variant selection beside the product's own
    options, which are still checked. Which dates and times a store offers is the bookings
    form's business; here only the slot's shape is checked.

    `source` (an `OrderChannel`, e.g. "whatsapp") records where the order came from; the
    checkout and the API leave it out.

    `payment_plan="pay_on_delivery"` takes a deposit now and the balance at the door, where the
    store offers it for this state and LGA (orders/pod.py); anywhere else it is a 400.
    """
    if not store.is_active or store.deleted_at is not None:
        raise NotFound("This store is not taking orders.")
    delivery_method = clean_delivery_method(delivery_method)
    checkout_customer = clean_customer(customer, delivery_method)
    checkout_lines = clean_lines(lines)
    if booking_slot is not None:
        checkout_lines = with_booking_slot(store, checkout_lines, booking_slot)
    coupon_code = (coupon_code or "").strip().upper() or None
    total = clean_amount(expected_total, "total") if expected_total not in (None, "") else None
    key = clean_idempotency_key(idempotency_key)
    pay_on_delivery = clean_payment_plan(payment_plan)
    deposit = clean_amount(expected_deposit, "deposit") if expected_deposit not in (None, "") else None
    fingerprint = checkout_fingerprint(checkout_customer, checkout_lines, coupon_code, delivery_method, total)
    if pay_on_delivery:
        # The same cart paid another way is another checkout (a reused key is then a 409).
        fingerprint = hashlib.sha256(f"{fingerprint}:pay_on_delivery".encode()).hexdigest()

    if key:
        earlier = _earlier_order(store=store, key=key, fingerprint=fingerprint)
        if earlier:
            return earlier
    try:
        with transaction.atomic():
            record = None
            if key:
                # A concurrent twin holding this key makes the insert wait for its commit,
                # then fail as a duplicate: the twin's order is returned below.
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(store=store, key=key, fingerprint=fingerprint)
                except IntegrityError:
                    raise _KeyTaken from None
            order = _place(
                store=store,
                customer=checkout_customer,
                lines=checkout_lines,
                coupon_code=coupon_code,
                delivery_method=delivery_method,
                expected_total=total,
            )
            if record:
                record.order = order
                record.save(update_fields=["order"])
            if source:
                OrderSource.objects.create(order=order, channel=source)
            if pay_on_delivery:
                # Before the payment opens: its amount is the plan's deposit.
                plan_create(
                    order=order,
                    state=checkout_customer.state,
                    lga=checkout_customer.lga,
                    method=delivery_method,
                    expected_deposit=deposit,
                )
            if order.total > 0:
                # The transfer account is opened by Monnify after this commits; a Monnify
                # outage leaves the order pending with a "try again" on the payment page.
                order_payments().open(order=order)
            # robust: the order stands even if its messages cannot be prepared; the shopper
            # still sees it on the page, and a failure is logged.
            transaction.on_commit(lambda: messages.send_order_placed(order_id=order.pk), robust=True)
            transaction.on_commit(metrics.order_placed)
    except _KeyTaken:
        assert key is not None  # only raised while inserting the key
        earlier = _earlier_order(store=store, key=key, fingerprint=fingerprint)
        if earlier is None:
            raise Conflict("This checkout is still being processed; try again in a moment.") from None
        return earlier
    return order


class _KeyTaken(Exception):
    pass


def _earlier_order(*, store: Store, key: str, fingerprint: str) -> Order | None:
    record = IdempotencyKey.objects.filter(store=store, key=key).select_related("order").first()
    if record is None or record.order is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different checkout. Use a new key."
        )
    return record.order


def _place(
    *,
    store: Store,
    customer: CheckoutCustomer,
    lines: list[CheckoutLine],
    coupon_code: str | None,
    delivery_method: str,
    expected_total: Decimal | None,
) -> Order:
    """`lines` may carry a booking slot (see `with_booking_slot`): its keys are recorded
    in the variant selection but are not options of the product."""
    products = locks.products_lock(product_ids=[line.product_id for line in lines])
    wanted = _check_lines(store=store, products=products, lines=lines)
    totals, coupon = _price(
        store=store,
        customer=customer,
        lines=lines,
        products=products,
        coupon_code=coupon_code,
        delivery_method=delivery_method,
        expected_total=expected_total,
    )
    order = _order_insert(
        store=store, customer=customer, lines=lines, products=products, totals=totals, method=delivery_method
    )
    crossings = []
    for product_id in sorted(wanted):
        before = products[product_id].stock_quantity
        stock.take_stock(product=products[product_id], quantity=wanted[product_id])
        crossing = stock.threshold_crossed(product=products[product_id], before=before)
        if crossing:
            crossings.append((product_id, crossing, products[product_id].stock_quantity or 0))
    if crossings:
        transaction.on_commit(
            lambda: messages.send_stock_alerts(store_id=store.pk, crossings=crossings), robust=True
        )
    if any(products[product_id].stock_quantity is not None for product_id in wanted):
        # Stock states ("Only 2 left", "Sold out") are on the cached storefront pages.
        storefront_cache_bump(store.pk)
    if coupon:
        Coupon.objects.filter(pk=coupon.pk).update(used_count=F("used_count") + 1)
        CouponRedemption.objects.create(
            coupon=coupon, order=order, customer_phone=customer.phone, amount=totals.discount
        )
    method = "pickup" if delivery_method == DeliveryMethod.PICKUP else "delivery"
    OrderEvent.objects.create(order=order, status=OrderStatus.PENDING, note=f"Order placed ({method}).")
    recovery_note_order_placed(order=order)
    return order


def _check_lines(*, store: Store, products: dict[str, Product], lines: list[CheckoutLine]) -> dict[str, int]:
    """Every line is a live product of this store at the price the shopper saw, in stock.

    The quantity wanted of each product (one product may be on several lines).
    """
    wanted: dict[str, int] = {}
    for line in lines:
        product = products.get(line.product_id)
        if product is None or product.store_id != store.pk:
            raise InvalidCheckout(
                "A product in your cart is not sold by this store.",
                details={"product_id": line.product_id},
            )
        if not product.is_active or product.deleted_at is not None:
            raise InvalidCheckout(
                f"{product.name} is no longer available.", details={"product_id": product.pk}
            )
        if line.expected_price is not None and line.expected_price != product.price:
            raise InvalidCheckout(
                f"The price of {product.name} is {naira(product.price)}, not {naira(line.expected_price)}.",
                code="price_mismatch",
                details={"product_id": product.pk, "price": str(product.price)},
            )
        check_variant_selection(product, line.variant_selection)
        wanted[product.pk] = wanted.get(product.pk, 0) + line.quantity
    for product_id in sorted(wanted):
        product = products[product_id]
        if product.price * wanted[product_id] > MONEY_MAX:
            # the line's subtotal would not fit the DECIMAL(12,2) columns
            most = int(MONEY_MAX // product.price)
            raise InvalidCheckout(
                f"At most {most:,} of {product.name} fit in one order.",
                code="order_too_large",
                details={"quantity": f"At most {most} of {product.name}.", "product_id": product_id},
            )
        if product.stock_quantity is not None and product.stock_quantity < wanted[product_id]:
            left = max(product.stock_quantity, 0)
            raise OutOfStock(
                f"Only {left} of {product.name} left in stock." if left else f"{product.name} is sold out.",
                details={"product_id": product_id, "available": left},
            )
    return wanted


def _price(
    *,
    store: Store,
    customer: CheckoutCustomer,
    lines: list[CheckoutLine],
    products: dict[str, Product],
    coupon_code: str | None,
    delivery_method: str,
    expected_total: Decimal | None,
) -> tuple[pricing.Totals, Coupon | None]:
    """The order's totals at database prices, with its coupon (locked) and delivery fee."""
    subtotal = pricing.lines_subtotal([(products[line.product_id].price, line.quantity) for line in lines])
    coupon = coupon_lock_for_checkout(store=store, code=coupon_code, subtotal=subtotal, phone=customer.phone)
    rates = {
        (rate.state, rate.lga): rate.fee
        for rate in DeliveryRate.objects.filter(store=store, state=customer.state or "")
    }
    totals = pricing.checkout_totals(
        subtotal=subtotal,
        coupon=coupon,
        delivery_settings=DeliverySettings.objects.filter(store=store).first(),
        rates=rates,
        state=customer.state,
        lga=customer.lga,
        method=delivery_method,
    )
    if totals is None:
        raise InvalidCheckout("This store does not offer pickup; choose delivery.", code="no_pickup")
    if max(totals.subtotal, totals.total) > MONEY_MAX:
        raise InvalidCheckout(
            f"One order can total at most {naira(MONEY_MAX)}: split it into smaller orders.",
            code="order_too_large",
            details={"items": "The order total is too large."},
        )
    if expected_total is not None and expected_total != totals.total:
        raise InvalidCheckout(
            f"The order total is {naira(totals.total)}, not {naira(expected_total)}.",
            code="total_mismatch",
            details={"total": str(totals.total)},
        )
    return totals, coupon


def _order_insert(
    *,
    store: Store,
    customer: CheckoutCustomer,
    lines: list[CheckoutLine],
    products: dict[str, Product],
    totals: pricing.Totals,
    method: str,
) -> Order:
    """The order row with its items and their snapshot (what was bought, at what price)."""
    snapshot = []
    items = []
    for line in lines:
        product = products[line.product_id]
        line_subtotal = pricing.lines_subtotal([(product.price, line.quantity)])
        image = first_image(product.images)
        snapshot.append(
            {
                "product_id": product.pk,
                "product_name": product.name,
                "product_image": image,
                "product_price": str(product.price),
                "quantity": line.quantity,
                "subtotal": str(line_subtotal),
                "variant_selection": recorded_selection(line),
            }
        )
        items.append(
            OrderItem(
                product=product,
                product_name=product.name,
                product_image=image,
                product_price=product.price,
                quantity=line.quantity,
                subtotal=line_subtotal,
                variant_selection=recorded_selection(line),
            )
        )
    order = Order(
        store=store,
        customer_name=customer.name,
        customer_email=customer.email,
        customer_phone=customer.phone,
        customer_address={
            "address": customer.address,
            "state": customer.state,
            "lga": customer.lga,
            "delivery_method": method,
        },
        delivery_address=customer.address or None,
        delivery_state=customer.state,
        delivery_lga=customer.lga,
        items=snapshot,
        subtotal=totals.subtotal,
        discount=totals.discount,
        shipping_fee=totals.shipping_fee,
        agm_fee=totals.agm_fee,
        total=totals.total,
        status=OrderStatus.PENDING,
        payment_status=PaymentStatus.PENDING,
        notes=customer.notes or None,
    )
    _save_with_new_number(order)
    for item in items:
        item.order = order
    OrderItem.objects.bulk_create(items)
    customer_refresh_on_commit(order)
    return order


def new_order_number() -> str:
    return ORDER_NUMBER_PREFIX + "".join(
        secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(ORDER_NUMBER_LENGTH)
    )


def _save_with_new_number(order: Order) -> None:
    """Insert under a random number; the unique key catches the rare collision."""
    for attempt in range(ORDER_NUMBER_ATTEMPTS):
        order.order_number = new_order_number()
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == ORDER_NUMBER_ATTEMPTS - 1:
                raise
