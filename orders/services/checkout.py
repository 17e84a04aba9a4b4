"""What a checkout says, checked and cleaned before anything is locked or written.

The storefront form, the API and the bookings form all hand `order_place` plain dicts; these
functions turn them into `CheckoutCustomer` and `CheckoutLine`s or raise `InvalidCheckout`.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from catalog.models import Product
from config.errors import Conflict, ServiceError
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from orders import geography
from orders.pricing import DeliveryMethod
from stores.models import Store, StoreTemplate

MAX_QUANTITY = 999
MAX_LINES = 50
BOOKING_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


class InvalidCheckout(ServiceError):
    code = "invalid_checkout"


class OutOfStock(Conflict):
    code = "out_of_stock"


class CouponUnavailable(ServiceError):
    code = "coupon_unavailable"


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


@dataclass(frozen=True)
class CheckoutLine:
    product_id: str
    quantity: int
    variant_selection: dict[str, str] | None
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


@dataclass(frozen=True)
class BookedLine(CheckoutLine):
    booking_slot: dict[str, str]


def recorded_selection(line: CheckoutLine) -> dict[str, str] | None:
    if isinstance(line, BookedLine):
        return {**(line.variant_selection or {}), **line.booking_slot}
    return line.variant_selection


def with_booking_slot(store: Store, lines: list[CheckoutLine], slot: object) -> list[CheckoutLine]:
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


def check_variant_selection(product: Product, selection: dict[str, str] | None) -> None:
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


def first_image(images: object) -> str | None:
    if isinstance(images, list) and images:
        first = images[0]
        if isinstance(first, str):
            return first[:500]
        url = first.get("url") if isinstance(first, dict) else None
        if isinstance(url, str):
            return url[:500]
    return None


def clean_delivery_method(value: object) -> str:
    if not isinstance(value, str) or value not in (DeliveryMethod.DELIVERY, DeliveryMethod.PICKUP):
        raise InvalidCheckout(
            "Choose delivery or pickup.", details={"delivery_method": "Use 'delivery' or 'pickup'."}
        )
    return value


def _text(value: object, field: str, *, required: bool, max_length: int) -> str:
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


def clean_customer(customer: object, delivery_method: str) -> CheckoutCustomer:
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


def clean_lines(lines: object) -> list[CheckoutLine]:
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
        expected_price = clean_amount(price, "price") if price not in (None, "") else None
        cleaned.append(CheckoutLine(product_id, quantity, selection, expected_price))
    return cleaned


def clean_amount(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidCheckout(
            f"{field} must be an amount in naira.", details={field: "Not a number."}
        ) from None
    if not amount.is_finite():
        raise InvalidCheckout(f"{field} must be an amount in naira.", details={field: "Not a number."})
    return amount


def clean_idempotency_key(key: object) -> str | None:
    if key in (None, ""):
        return None
    if not isinstance(key, str) or len(key) > 255 or not key.isprintable():
        raise InvalidCheckout("The Idempotency-Key must be printable text of at most 255 characters.")
    return key


def checkout_fingerprint(
    customer: CheckoutCustomer,
    lines: list[CheckoutLine],
    coupon_code: str | None,
    delivery_method: str,
    expected_total: Decimal | None,
) -> str:
    payload: dict[str, Any] = {
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
