"""Reads shared by the storefront, the dashboard and the API. Every merchant read is scoped
to the stores the user owns; another merchant's order is simply not found."""

from contextlib import suppress
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from config.errors import NotFound
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from orders.models import (
    Coupon,
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


def store_get_for_owner(*, user, store_id) -> Store:
    store = owner_stores(user=user).filter(pk=str(store_id)).first()
    if store is None:
        raise NotFound("No such store.")
    return store


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


def payment_open_for_order(*, order):
    """The order's pending payment, which the shopper's payment page shows, if any."""
    if order.status == OrderStatus.CANCELLED:
        return None  # its stock is back on the shelf: nothing is left to pay for
    return order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()
