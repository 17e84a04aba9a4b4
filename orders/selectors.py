"""Reads shared by the storefront, the dashboard and the API. Every merchant read is scoped
to the stores the user owns; another merchant's order is simply not found."""

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from config.errors import NotFound
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from orders import geography, pricing
from orders.models import (
    Coupon,
    CouponRedemption,
    DeliveryRate,
    DeliverySettings,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentStatus,
)
from stores.models import Store


def owner_stores(*, user):
    return Store.objects.owned_by(user).order_by("display_name")


def order_list_for_owner(*, user, filters: dict | None = None):
    """The owner's orders, newest first, filtered as the dashboard and the API allow."""
    filters = filters or {}
    orders = Order.objects.filter(
        store__user=user, store__deleted_at__isnull=True, deleted_at__isnull=True
    ).select_related("store", "source")
    if filters.get("store"):
        orders = orders.filter(store_id=str(filters["store"]))
    if filters.get("status"):
        orders = orders.filter(status=filters["status"])
    if filters.get("payment_status"):
        orders = orders.filter(payment_status=filters["payment_status"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        orders = orders.filter(created_at__gte=datetime.combine(filters["date_from"], time.min, zone))
    if filters.get("date_to"):
        orders = orders.filter(
            created_at__lt=datetime.combine(filters["date_to"] + timedelta(days=1), time.min, zone)
        )
    search = (filters.get("q") or "").strip()
    if search:
        match = Q(order_number__icontains=search) | Q(customer_name__icontains=search)
        match |= Q(customer_phone__icontains=search)
        with suppress(InvalidPhoneNumber):
            match |= Q(customer_phone=normalise_phone(search))
        orders = orders.filter(match)
    return orders.order_by("-created_at", "-order_number")


def order_get_for_owner(*, user, order_id) -> Order:
    order = (
        order_list_for_owner(user=user)
        .prefetch_related("order_items", Prefetch("events", OrderEvent.objects.select_related("actor")))
        .filter(pk=str(order_id))
        .first()
    )
    if order is None:
        raise NotFound("No such order.")
    return order


def order_get_by_number(*, order_number: str, store: Store | None = None) -> Order:
    """An order as a shopper sees it: by its number, on a live store."""
    orders = Order.objects.filter(
        order_number=(order_number or "").strip().upper(),
        deleted_at__isnull=True,
        store__is_active=True,
        store__deleted_at__isnull=True,
    )
    if store is not None:
        orders = orders.filter(store=store)
    order = (
        orders.select_related("store")
        .prefetch_related("order_items", Prefetch("events", OrderEvent.objects.order_by("created_at", "id")))
        .first()
    )
    if order is None:
        raise NotFound("No order with this number.")
    return order


def order_for_idempotency_key(*, store: Store, key: str) -> Order | None:
    record = IdempotencyKey.objects.filter(store=store, key=key).select_related("order").first()
    return record.order if record else None


def order_contact_matches(order: Order, contact: str) -> bool:
    """Whether the phone number or email someone typed is the one on the order."""
    contact = (contact or "").strip()
    if not contact:
        return False
    if "@" in contact:
        return bool(order.customer_email) and order.customer_email.casefold() == contact.casefold()
    try:
        return normalise_phone(contact) == order.customer_phone
    except InvalidPhoneNumber:
        return False


def customer_list_for_owner(*, user, store_id=None, search: str = ""):
    """Shoppers aggregated by phone number: orders, money spent (cancelled orders excluded), last order."""
    orders = Order.objects.filter(store__user=user, store__deleted_at__isnull=True, deleted_at__isnull=True)
    if store_id:
        orders = orders.filter(store_id=str(store_id))
    if search:
        orders = orders.filter(Q(customer_name__icontains=search) | Q(customer_phone__icontains=search))
    return (
        orders.values("customer_phone")
        .annotate(
            name=Max("customer_name"),
            email=Max("customer_email"),
            orders_count=Count("id"),
            total_spent=Sum("total", filter=~Q(status=OrderStatus.CANCELLED), default=0),
            last_order_at=Max("created_at"),
        )
        .order_by("-last_order_at")
    )


def delivery_rates_for_owner(*, user, store_id=None):
    rates = DeliveryRate.objects.filter(store__user=user, store__deleted_at__isnull=True).select_related(
        "store"
    )
    if store_id:
        rates = rates.filter(store_id=str(store_id))
    return rates.order_by("store__display_name", "state", "lga")


def delivery_rate_get_for_owner(*, user, rate_id) -> DeliveryRate:
    rate = delivery_rates_for_owner(user=user).filter(pk=_int(rate_id)).first()
    if rate is None:
        raise NotFound("No such delivery rate.")
    return rate


def delivery_settings_for(*, store: Store) -> DeliverySettings:
    return DeliverySettings.objects.filter(store=store).first() or DeliverySettings(store=store)


def coupons_for_owner(*, user, store_id=None):
    coupons = Coupon.objects.filter(store__user=user, store__deleted_at__isnull=True).select_related("store")
    if store_id:
        coupons = coupons.filter(store_id=str(store_id))
    return coupons.order_by("-created_at", "-id")


def coupon_get_for_owner(*, user, coupon_id) -> Coupon:
    coupon = coupons_for_owner(user=user).filter(pk=_int(coupon_id)).first()
    if coupon is None:
        raise NotFound("No such coupon.")
    return coupon


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@dataclass(frozen=True)
class CheckoutQuote:
    """The checkout page's breakdown. `totals` is None when the chosen method is not offered;
    `needs_place` when delivery is chosen without a state, so no delivery fee is known yet."""

    totals: pricing.Totals | None
    coupon_code: str | None
    coupon_message: str | None
    needs_place: bool
    pickup_offered: bool


def checkout_quote(
    *,
    store: Store,
    lines: list[tuple[Decimal, int]],
    method: str,
    state: str = "",
    lga: str = "",
    coupon_code: str = "",
    phone: str = "",
) -> CheckoutQuote:
    """What the order would cost now, computed as `order_place` computes it
    (pricing.checkout_totals); read without locks, so placement checks everything again."""
    subtotal = pricing.lines_subtotal(lines)
    state = geography.canonical_state(state) or ""
    lga = (geography.canonical_lga(state, lga) or "") if state else ""
    code = (coupon_code or "").strip().upper()[:40] or None
    coupon, message = _quote_coupon(store=store, code=code, subtotal=subtotal, phone=phone)
    delivery_settings = DeliverySettings.objects.filter(store=store).first()
    rates = {
        (rate.state, rate.lga): rate.fee for rate in DeliveryRate.objects.filter(store=store, state=state)
    }
    totals = pricing.checkout_totals(
        subtotal=subtotal,
        coupon=coupon,
        delivery_settings=delivery_settings,
        rates=rates,
        state=state or None,
        lga=lga or None,
        method=method,
    )
    return CheckoutQuote(
        totals=totals,
        coupon_code=code if coupon else None,
        coupon_message=message,
        needs_place=method == pricing.DeliveryMethod.DELIVERY and not state,
        pickup_offered=delivery_settings.free_pickup if delivery_settings else True,
    )


def _quote_coupon(*, store, code, subtotal, phone) -> tuple[Coupon | None, str | None]:
    """The coupon that would apply, or None and the reason it would not."""
    if not code:
        return None, None
    coupon = Coupon.objects.filter(store=store, code=code).first()
    if coupon is None:
        return None, f"There is no coupon {code} in this store."
    problem = pricing.coupon_problem(coupon, subtotal=subtotal)
    if problem is None and coupon.usage_limit is not None and coupon.used_count >= coupon.usage_limit:
        problem = f"The coupon {code} has been used up."
    if problem is None and coupon.per_customer_limit is not None and phone:
        with suppress(InvalidPhoneNumber):
            used = CouponRedemption.objects.filter(
                coupon=coupon, customer_phone=normalise_phone(phone)
            ).count()
            if used >= coupon.per_customer_limit:
                problem = f"You have already used the coupon {code} as often as it allows."
    return (None, problem) if problem else (coupon, None)


def payment_open_for_order(*, order):
    """The order's pending payment, which the shopper's payment page shows, if any."""
    if order.status == OrderStatus.CANCELLED:
        return None  # its stock is back on the shelf: nothing is left to pay for
    return order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()
