"""Every write to orders: placing, status changes, cancelling, payment expiry, delivery
rates and coupons. One `order_place` serves the storefront checkout, the API and the
bookings template."""

import datetime
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F

from config.errors import Conflict, NotFound, ServiceError
from config.money import naira
from notifications.phone_numbers import InvalidPhoneNumber, normalise_phone
from orders import geography, messages, pricing, stock
from orders.models import (
    Coupon,
    CouponKind,
    CouponRedemption,
    DeliveryRate,
    DeliverySettings,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentStatus,
)
from orders.pricing import DeliveryMethod
from payments import services as payment_services
from stores.models import Store, StoreTemplate
from stores.services import storefront_cache_bump

MAX_QUANTITY = 999
MAX_LINES = 50
ORDER_NUMBER_PREFIX = "AGM-"
# Crockford's base32: no I, L, O or U, so a number read over the phone is not misheard.
ORDER_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ORDER_NUMBER_LENGTH = 8
ORDER_NUMBER_ATTEMPTS = 5
BOOKING_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")

TRANSITIONS = {
    OrderStatus.PENDING: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: {OrderStatus.FULFILLED},
    OrderStatus.FULFILLED: set(),
    OrderStatus.CANCELLED: set(),
}


class InvalidCheckout(ServiceError):
    code = "invalid_checkout"


class OutOfStock(Conflict):
    code = "out_of_stock"


class CouponUnavailable(ServiceError):
    code = "coupon_unavailable"


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


@dataclass(frozen=True)
class CheckoutLine:
    product_id: str
    quantity: int
    variant_selection: dict | None
    expected_price: Decimal | None


@dataclass(frozen=True)
class CheckoutCustomer:
    name: str
    phone: str
    email: str | None
    address: str
    state: str | None
    lga: str | None
    notes: str


def allowed_transitions(status: str) -> list[str]:
    return sorted(TRANSITIONS.get(status, ()), key=list(OrderStatus.values).index)


# --- Placing an order ---


def order_place(
    *,
    store: Store,
    customer: dict,
    lines: list[dict],
    coupon_code: str | None = None,
    idempotency_key: str | None = None,
    delivery_method: str = DeliveryMethod.DELIVERY,
    expected_total=None,
    booking_slot: dict | None = None,
) -> Order:
    """Place an order at database prices, taking stock under row locks.

    The same `idempotency_key` with the same checkout gives back the order it first made;
    with a different checkout it is refused (409). Any failure writes nothing.

    `booking_slot` ({"Date": "YYYY-MM-DD", "Time": "HH:MM"}) is for a bookings store's one
    service: it is recorded in the item's variant selection beside the product's own
    options, which are still checked. Which dates and times a store offers is the bookings
    form's business; here only the slot's shape is checked.
    """
    if not store.is_active or store.deleted_at is not None:
        raise NotFound("This store is not taking orders.")
    delivery_method = _clean_delivery_method(delivery_method)
    checkout_customer = _clean_customer(customer, delivery_method)
    checkout_lines = _clean_lines(lines)
    if booking_slot is not None:
        checkout_lines = _with_booking_slot(store, checkout_lines, booking_slot)
    coupon_code = (coupon_code or "").strip().upper() or None
    expected_total = _clean_amount(expected_total, "total") if expected_total not in (None, "") else None
    key = _clean_idempotency_key(idempotency_key)
    fingerprint = _fingerprint(
        checkout_customer, checkout_lines, coupon_code, delivery_method, expected_total
    )

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
                expected_total=expected_total,
            )
            if record:
                record.order = order
                record.save(update_fields=["order"])
            if order.total > 0:
                # The transfer account is opened by Monnify after this commits; a Monnify
                # outage leaves the order pending with a "try again" on the payment page.
                payment_services.payment_create(order=order)
            # robust: the order stands even if its messages cannot be prepared; the shopper
            # still sees it on the page, and a failure is logged.
            transaction.on_commit(partial(messages.send_order_placed, order_id=order.pk), robust=True)
    except _KeyTaken:
        earlier = _earlier_order(store=store, key=key, fingerprint=fingerprint)
        if earlier is None:
            raise Conflict("This checkout is still being processed; try again in a moment.") from None
        return earlier
    return order


class _KeyTaken(Exception):
    pass


def _earlier_order(*, store, key, fingerprint) -> Order | None:
    record = IdempotencyKey.objects.filter(store=store, key=key).select_related("order").first()
    if record is None or record.order is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different checkout. Use a new key."
        )
    return record.order


def _place(*, store, customer, lines, coupon_code, delivery_method, expected_total) -> Order:
    """`lines` may carry a booking slot (see `_with_booking_slot`): its keys are recorded
    in the variant selection but are not options of the product."""
    products = stock.lock_products(product_ids=[line.product_id for line in lines])
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
        if product.stock_quantity is not None and product.stock_quantity < wanted[product_id]:
            left = max(product.stock_quantity, 0)
            raise OutOfStock(
                f"Only {left} of {product.name} left in stock." if left else f"{product.name} is sold out.",
                details={"product_id": product_id, "available": left},
            )

    subtotal = pricing.lines_subtotal([(products[line.product_id].price, line.quantity) for line in lines])
    coupon = _lock_coupon(store=store, code=coupon_code, subtotal=subtotal, phone=customer.phone)
    delivery_settings = DeliverySettings.objects.filter(store=store).first()
    rates = {
        (rate.state, rate.lga): rate.fee
        for rate in DeliveryRate.objects.filter(store=store, state=customer.state or "")
    }
    totals = pricing.checkout_totals(
        subtotal=subtotal,
        coupon=coupon,
        delivery_settings=delivery_settings,
        rates=rates,
        state=customer.state,
        lga=customer.lga,
        method=delivery_method,
    )
    if totals is None:
        raise InvalidCheckout("This store does not offer pickup; choose delivery.", code="no_pickup")
    if expected_total is not None and expected_total != totals.total:
        raise InvalidCheckout(
            f"The order total is {naira(totals.total)}, not {naira(expected_total)}.",
            code="total_mismatch",
            details={"total": str(totals.total)},
        )

    snapshot = []
    items = []
    for line in lines:
        product = products[line.product_id]
        line_subtotal = pricing.lines_subtotal([(product.price, line.quantity)])
        image = _first_image(product.images)
        snapshot.append(
            {
                "product_id": product.pk,
                "product_name": product.name,
                "product_image": image,
                "product_price": str(product.price),
                "quantity": line.quantity,
                "subtotal": str(line_subtotal),
                "variant_selection": _recorded_selection(line),
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
                variant_selection=_recorded_selection(line),
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
            "delivery_method": delivery_method,
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
    for product_id in sorted(wanted):
        stock.take_stock(product=products[product_id], quantity=wanted[product_id])
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


def _lock_coupon(*, store, code, subtotal, phone) -> Coupon | None:
    if not code:
        return None
    coupon = Coupon.objects.select_for_update().filter(store=store, code=code).first()
    if coupon is None:
        raise CouponUnavailable(f"There is no coupon {code} in this store.", details={"coupon": code})
    problem = pricing.coupon_problem(coupon, subtotal=subtotal)
    if problem:
        raise CouponUnavailable(problem, details={"coupon": code})
    if coupon.usage_limit is not None and coupon.used_count >= coupon.usage_limit:
        raise CouponUnavailable(f"The coupon {code} has been used up.", details={"coupon": code})
    if coupon.per_customer_limit is not None:
        used = CouponRedemption.objects.filter(coupon=coupon, customer_phone=phone).count()
        if used >= coupon.per_customer_limit:
            raise CouponUnavailable(
                f"You have already used the coupon {code} as often as it allows.", details={"coupon": code}
            )
    return coupon


@dataclass(frozen=True)
class BookedLine(CheckoutLine):
    booking_slot: dict


def _recorded_selection(line: CheckoutLine) -> dict | None:
    if isinstance(line, BookedLine):
        return {**(line.variant_selection or {}), **line.booking_slot}
    return line.variant_selection


def _with_booking_slot(store: Store, lines: list[CheckoutLine], slot) -> list[CheckoutLine]:
    if store.template_id != StoreTemplate.BOOKINGS:
        raise InvalidCheckout("This store does not take bookings.", code="not_bookable")
    if len(lines) != 1 or lines[0].quantity != 1:
        raise InvalidCheckout("A booking is for one service at a time.", details={"items": "One line."})
    if not isinstance(slot, dict) or set(slot) != {"Date", "Time"}:
        raise InvalidCheckout("Choose a date and a time.", details={"booking_slot": "Date and Time."})
    date, time = slot["Date"], slot["Time"]
    try:
        date = datetime.date.fromisoformat(date).isoformat()
    except (TypeError, ValueError):
        raise InvalidCheckout("Choose a valid date.", details={"booking_slot": "YYYY-MM-DD."}) from None
    if not isinstance(time, str) or not BOOKING_TIME.fullmatch(time):
        raise InvalidCheckout("Choose a valid time.", details={"booking_slot": "HH:MM."})
    line = lines[0]
    if set(line.variant_selection or {}) & set(slot):
        # the product has its own option named Date or Time: recording both would lose one
        raise InvalidCheckout(
            f"This service cannot be booked online: it has an option named {' or '.join(slot)}.",
            details={"booking_slot": "Clashes with an option."},
        )
    return [BookedLine(**vars(line), booking_slot={"Date": date, "Time": time})]


def check_variant_selection(product, selection: dict | None) -> None:
    variations = product.variations or []
    choices = {
        variation["name"]: variation["options"]
        for variation in variations
        if isinstance(variation, dict) and "name" in variation and isinstance(variation.get("options"), list)
    }
    selection = selection or {}
    unknown = sorted(set(selection) - set(choices))
    if unknown:
        raise InvalidCheckout(
            f"{product.name} has no option {unknown[0]!r}.", details={"product_id": product.pk}
        )
    for name, options in choices.items():
        chosen = selection.get(name)
        if chosen is None:
            raise InvalidCheckout(f"Choose a {name} for {product.name}.", details={"product_id": product.pk})
        if chosen not in options:
            raise InvalidCheckout(
                f"{chosen!r} is not a {name} of {product.name}; choose one of {', '.join(options)}.",
                details={"product_id": product.pk},
            )


def _first_image(images) -> str | None:
    if isinstance(images, list) and images:
        first = images[0]
        if isinstance(first, str):
            return first[:500]
        if isinstance(first, dict) and isinstance(first.get("url"), str):
            return first["url"][:500]
    return None


def _clean_delivery_method(value) -> str:
    if value not in (DeliveryMethod.DELIVERY, DeliveryMethod.PICKUP):
        raise InvalidCheckout(
            "Choose delivery or pickup.", details={"delivery_method": "Use 'delivery' or 'pickup'."}
        )
    return value


def _text(value, field, *, required, max_length) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidCheckout(f"Enter a valid {field}.", details={field: "Must be text."})
    value = value.strip()
    if required and not value:
        raise InvalidCheckout(f"Enter your {field}.", details={field: "This field is required."})
    if len(value) > max_length:
        raise InvalidCheckout(
            f"Your {field} is too long.", details={field: f"At most {max_length} characters."}
        )
    return value


def _clean_customer(customer: dict, delivery_method: str) -> CheckoutCustomer:
    if not isinstance(customer, dict):
        raise InvalidCheckout("Customer details are missing.")
    name = _text(customer.get("name"), "name", required=True, max_length=255)
    try:
        phone = normalise_phone(_text(customer.get("phone"), "phone", required=True, max_length=30))
    except InvalidPhoneNumber as error:
        raise InvalidCheckout(error.message, details={"phone": error.message}) from None
    email = _text(customer.get("email"), "email", required=False, max_length=255) or None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidCheckout(
                "Enter a valid email address.", details={"email": "Invalid email."}
            ) from None
    delivering = delivery_method == DeliveryMethod.DELIVERY
    address = _text(customer.get("address"), "address", required=delivering, max_length=2000)
    raw_state = _text(customer.get("state"), "state", required=delivering, max_length=100)
    raw_lga = _text(customer.get("lga"), "LGA", required=delivering, max_length=100)
    state = lga = None
    if raw_state:
        state = geography.canonical_state(raw_state)
        if state is None:
            raise InvalidCheckout(
                f"{raw_state!r} is not a Nigerian state.", details={"state": "Unknown state."}
            )
    if raw_lga:
        lga = geography.canonical_lga(state or "", raw_lga)
        if lga is None:
            raise InvalidCheckout(
                f"{raw_lga!r} is not an LGA of {state or 'the chosen state'}.",
                details={"lga": "Unknown LGA."},
            )
    notes = _text(customer.get("notes"), "notes", required=False, max_length=2000)
    return CheckoutCustomer(name, phone, email, address, state, lga, notes)


def _clean_lines(lines) -> list[CheckoutLine]:
    if not isinstance(lines, list | tuple) or not lines:
        raise InvalidCheckout("Your cart is empty.", details={"items": "Add at least one product."})
    if len(lines) > MAX_LINES:
        raise InvalidCheckout(f"At most {MAX_LINES} lines per order.", details={"items": "Too many lines."})
    cleaned = []
    for position, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            raise InvalidCheckout(f"Item {position} is malformed.")
        product_id = line.get("product_id")
        if not isinstance(product_id, str) or not product_id or len(product_id) > 36:
            raise InvalidCheckout(f"Item {position} names no product.", details={"product_id": "Required."})
        quantity = line.get("quantity")
        if isinstance(quantity, str) and quantity.strip().isdigit():
            quantity = int(quantity)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidCheckout(
                f"Quantities are whole numbers from 1 to {MAX_QUANTITY}.",
                details={"quantity": f"Item {position}: between 1 and {MAX_QUANTITY}."},
            )
        selection = line.get("variant_selection")
        if selection in ({}, None):
            selection = None
        elif not isinstance(selection, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in selection.items()
        ):
            raise InvalidCheckout(
                f"Item {position}: options are given as {{name: choice}}.",
                details={"variant_selection": "Invalid."},
            )
        price = line.get("price")
        expected_price = _clean_amount(price, "price") if price not in (None, "") else None
        cleaned.append(CheckoutLine(product_id, quantity, selection, expected_price))
    return cleaned


def _clean_amount(value, field) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidCheckout(
            f"{field} must be an amount in naira.", details={field: "Not a number."}
        ) from None
    if not amount.is_finite():
        raise InvalidCheckout(f"{field} must be an amount in naira.", details={field: "Not a number."})
    return amount


def _clean_idempotency_key(key) -> str | None:
    if key in (None, ""):
        return None
    if not isinstance(key, str) or len(key) > 255 or not key.isprintable():
        raise InvalidCheckout("The Idempotency-Key must be printable text of at most 255 characters.")
    return key


def _fingerprint(customer, lines, coupon_code, delivery_method, expected_total) -> str:
    payload = {
        "customer": customer.__dict__,
        "lines": [
            [line.product_id, line.quantity, line.variant_selection, str(line.expected_price)]
            for line in lines
        ],
        "coupon": coupon_code,
        "delivery_method": delivery_method,
        "expected_total": str(expected_total),
    }
    booked = [line.booking_slot for line in lines if isinstance(line, BookedLine)]
    if booked:
        # only when present, so keys stored before bookings existed keep their fingerprints
        payload["booking_slots"] = booked
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


# --- Status changes ---


def order_transition(
    *, order: Order, to_status: str, actor=None, note: str = "", customer_message: str = ""
) -> Order:
    """Move an order along DESIGN.md's status machine; an illegal move changes nothing (409).

    `note` is the merchant's own; only `customer_message` reaches the shopper."""
    if to_status not in OrderStatus.values:
        raise ServiceError(
            f"{to_status!r} is not an order status.", code="invalid_status", details={"status": to_status}
        )
    if to_status == OrderStatus.CANCELLED:
        return order_cancel(order=order, actor=actor, note=note, customer_message=customer_message)
    message = customer_message.strip()[:2000]
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _check_transition(locked, to_status)
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=locked, status=to_status, note=note[:2000], customer_message=message or None, actor=actor
        )
        _tell_shopper(locked, note=message)
    return locked


def order_cancel(*, order: Order, actor=None, note: str = "", customer_message: str = "") -> Order:
    """Cancel a pending or confirmed order, giving its stock and coupon use back.

    A paid order's money goes back to the shopper through a Monnify refund, started in the
    same transaction: if the refund cannot start (say the balance is too low), nothing changes.
    An unpaid order's open payment is closed, so its transfer account is no longer offered.
    """
    with transaction.atomic():
        payment_services.payments_lock_for_order(order_id=order.pk)
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _check_transition(locked, OrderStatus.CANCELLED)
        if locked.payment_status == PaymentStatus.PAID:
            for payment in locked.payments.filter(status=PaymentStatus.PAID):
                payment_services.payment_refund_start(
                    payment=payment, reason=(note or "Order cancelled by the merchant.")[:200]
                )
        # The stock goes back now, so the transfer account must stop being offered to the shopper.
        payment_services.payments_close_for_cancelled_order(order=locked)
        _release(locked)
        locked.status = OrderStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        message = customer_message.strip()[:2000]
        OrderEvent.objects.create(
            order=locked,
            status=OrderStatus.CANCELLED,
            note=(note or "Order cancelled.")[:2000],
            customer_message=message or None,
            actor=actor,
        )
        _tell_shopper(locked, note=message)
    return locked


def order_mark_paid(*, order_id: str) -> Order:
    """A verified payment covers the order: its payment status becomes paid and a pending
    order is confirmed (which tells the shopper). Never moves an order backwards."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order_id)
        if locked.payment_status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            locked.payment_status = PaymentStatus.PAID
            locked.save(update_fields=["payment_status", "updated_at"])
        if locked.status == OrderStatus.PENDING:
            return order_transition(
                order=locked,
                to_status=OrderStatus.CONFIRMED,
                note="Payment received.",
                customer_message="Payment received.",
            )
    return locked


def order_expire_payment(*, order: Order) -> Order:
    """The order's payment window closed unpaid: mark it expired, cancel, return the stock.

    Safe to call twice, and does nothing to an order that was paid or moved on meanwhile.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.PENDING or locked.payment_status not in (
            PaymentStatus.PENDING,
            PaymentStatus.FAILED,
        ):
            return locked
        _release(locked)
        locked.status = OrderStatus.CANCELLED
        locked.payment_status = PaymentStatus.EXPIRED
        locked.save(update_fields=["status", "payment_status", "updated_at"])
        OrderEvent.objects.create(
            order=locked, status=OrderStatus.CANCELLED, note="Payment expired; stock returned."
        )
        _tell_shopper(locked)
    return locked


def _check_transition(order: Order, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(order.status, ()):
        allowed = allowed_transitions(order.status)
        raise IllegalTransition(
            f"An order that is {order.status} cannot become {to_status}"
            + (f"; it can become {', '.join(allowed)}." if allowed else "."),
            details={"from": order.status, "to": to_status, "allowed": allowed},
        )


def _tell_shopper(order: Order, *, note: str = "") -> None:
    transaction.on_commit(
        partial(messages.send_order_status, order_id=order.pk, status=order.status, note=note), robust=True
    )


def _release(order: Order) -> None:
    """Give back the stock and the coupon use of a locked order."""
    quantities: dict[str, int] = {}
    for product_id, quantity in order.order_items.values_list("product_id", "quantity"):
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    if quantities and stock.return_stock(quantities=quantities):
        storefront_cache_bump(order.store_id)
    redemption = CouponRedemption.objects.filter(order=order).first()
    if redemption:
        coupon = Coupon.objects.select_for_update().get(pk=redemption.coupon_id)
        Coupon.objects.filter(pk=coupon.pk).update(used_count=max(coupon.used_count - 1, 0))
        redemption.delete()


# --- Delivery rates, delivery settings and coupons (merchant) ---


def delivery_settings_update(*, store: Store, default_fee, free_pickup: bool, free_delivery_threshold):
    with transaction.atomic():
        settings_row, _created = DeliverySettings.objects.select_for_update().get_or_create(store=store)
        settings_row.default_fee = _money(default_fee, "default_fee")
        settings_row.free_pickup = bool(free_pickup)
        settings_row.free_delivery_threshold = (
            None
            if free_delivery_threshold in (None, "")
            else _money(free_delivery_threshold, "free_delivery_threshold")
        )
        settings_row.save()
    return settings_row


def _rate_place(state, lga) -> tuple[str, str]:
    canonical_state = geography.canonical_state(state or "")
    if canonical_state is None:
        raise ServiceError(f"{state!r} is not a Nigerian state.", details={"state": "Unknown state."})
    canonical_lga = ""
    if lga:
        canonical_lga = geography.canonical_lga(canonical_state, lga)
        if canonical_lga is None:
            raise ServiceError(
                f"{lga!r} is not an LGA of {canonical_state}.", details={"lga": "Unknown LGA."}
            )
    return canonical_state, canonical_lga


def delivery_rate_save(*, store: Store, state: str, lga: str | None, fee, rate: DeliveryRate | None = None):
    """Create a state's (or one LGA's) delivery fee, or change `rate`; one rate per state/LGA (409)."""
    canonical_state, canonical_lga = _rate_place(state, lga)
    amount = _money(fee, "fee")
    rate = rate or DeliveryRate(store=store)
    rate.state, rate.lga, rate.fee = canonical_state, canonical_lga, amount
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError:
        where = f"{canonical_lga}, {canonical_state}" if canonical_lga else canonical_state
        raise Conflict(f"There is already a delivery rate for {where}.") from None
    return rate


def delivery_rate_set(*, store: Store, state: str, lga: str | None, fee) -> DeliveryRate:
    """The fee to this state (or LGA), whether or not it had one: the dashboard's "add or change"."""
    canonical_state, canonical_lga = _rate_place(state, lga)
    amount = _money(fee, "fee")
    with transaction.atomic():
        rate, _created = DeliveryRate.objects.update_or_create(
            store=store, state=canonical_state, lga=canonical_lga, defaults={"fee": amount}
        )
    return rate


def delivery_rate_delete(*, rate: DeliveryRate) -> None:
    with transaction.atomic():
        rate.delete()


COUPON_FIELDS = (
    "code",
    "kind",
    "value",
    "minimum_order",
    "starts_at",
    "ends_at",
    "usage_limit",
    "per_customer_limit",
    "is_active",
)


def coupon_save(*, store: Store, data: dict, coupon: Coupon | None = None) -> Coupon:
    coupon = coupon or Coupon(store=store)
    for field in COUPON_FIELDS:
        if field in data:
            setattr(coupon, field, data[field])
    coupon.code = (coupon.code or "").strip().upper()
    if not coupon.code or len(coupon.code) > 40 or not all(ch.isalnum() or ch in "-_" for ch in coupon.code):
        raise ServiceError("A coupon code has 1 to 40 letters, digits, - or _.", details={"code": "Invalid."})
    if coupon.kind not in CouponKind.values:
        raise ServiceError("A coupon is a percentage or a fixed amount.", details={"kind": "Invalid."})
    coupon.value = _money(coupon.value, "value")
    if coupon.value <= 0 or (coupon.kind == CouponKind.PERCENTAGE and coupon.value > 100):
        raise ServiceError(
            "A percentage is between 0 and 100; an amount is more than 0.", details={"value": "Out of range."}
        )
    coupon.minimum_order = _money(coupon.minimum_order or 0, "minimum_order")
    if coupon.starts_at and coupon.ends_at and coupon.ends_at <= coupon.starts_at:
        raise ServiceError("The coupon must end after it starts.", details={"ends_at": "Before the start."})
    try:
        with transaction.atomic():
            coupon.save()
    except IntegrityError:
        raise Conflict(
            f"This store already has a coupon {coupon.code}.", details={"code": "Taken."}
        ) from None
    return coupon


def coupon_delete(*, coupon: Coupon) -> None:
    """Delete an unused coupon; one that was redeemed is only deactivated (orders refer to it)."""
    with transaction.atomic():
        if coupon.redemptions.exists():
            coupon.is_active = False
            coupon.save(update_fields=["is_active", "updated_at"])
        else:
            coupon.delete()


def _money(value, field) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{field} must be an amount in naira.", details={field: "Not a number."}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("10000000000"):
        raise ServiceError(
            f"{field} must be between 0 and 9,999,999,999.99.", details={field: "Out of range."}
        )
    return pricing.to_kobo(amount)
