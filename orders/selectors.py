"""Reads shared by the storefront, the dashboard and the API. Every merchant read is scoped
to the stores the user owns; another merchant's order is simply not found."""

import re
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from config.errors import NotFound
from config.keyset import KeysetPage, keyset_page
from config.money import naira
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from config.site_url import site_url
from orders import geography, pricing
from orders.models import (
    Coupon,
    CouponRedemption,
    Customer,
    DeliveryRate,
    DeliverySettings,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentStatus,
)

# Moved to orders.recovery_selectors; re-exported so callers keep importing them from here.
from orders.recovery_selectors import (
    RECOVERY_BATCH as RECOVERY_BATCH,
)
from orders.recovery_selectors import (
    RECOVERY_LOOKBACK as RECOVERY_LOOKBACK,
)
from orders.recovery_selectors import (
    recovered_totals as recovered_totals,
)
from orders.recovery_selectors import (
    recovery_abandoned_due as recovery_abandoned_due,
)
from orders.recovery_selectors import (
    recovery_expired_due as recovery_expired_due,
)
from orders.recovery_selectors import (
    recovery_message_lines as recovery_message_lines,
)
from orders.recovery_selectors import (
    recovery_messages_for_owner as recovery_messages_for_owner,
)
from orders.recovery_selectors import (
    recovery_opt_out_target as recovery_opt_out_target,
)
from orders.recovery_selectors import (
    recovery_restore_message as recovery_restore_message,
)
from orders.recovery_selectors import (
    recovery_settings_for as recovery_settings_for,
)
from orders.recovery_selectors import (
    recovery_summary as recovery_summary,
)
from orders.recovery_selectors import (
    recovery_unpaid_due as recovery_unpaid_due,
)
from orders.recovery_selectors import (
    restorable_lines as restorable_lines,
)
from stores.models import Store


def owner_stores(*, user: Any) -> QuerySet[Store]:
    return Store.objects.owned_by(user).order_by("display_name")


ORDER_NUMBER_SHAPE = re.compile(r"^[A-Z0-9-]*[0-9-][A-Z0-9-]*$")


def owner_store_ids(*, user: Any) -> list[str]:
    return list(Store.objects.owned_by(user).order_by("pk").values_list("pk", flat=True))


# The dashboard's and the API's list filters (OrderFilterForm.cleaned_data): status,
# payment_status, date_from/date_to (dates), store and q; absent or empty means "any".
OrderFilters = Mapping[str, Any]


def order_list_for_owner(
    *, user: Any, filters: OrderFilters | None = None, store_ids: list[str] | None = None
) -> QuerySet[Order]:
    """The owner's orders, newest first, filtered as the dashboard and the API allow.

    Scoped by `store_id IN (the owner's store ids)`, never through a join on stores, so MariaDB
    reads one of the `agm_orders_*` indexes that start with the store (README "Scale"). Pass
    `store_ids` when they are already known (one query fewer).
    """
    filters = filters or {}
    store_ids = owner_store_ids(user=user) if store_ids is None else list(store_ids)
    if filters.get("store"):
        store_ids = [sid for sid in store_ids if sid == str(filters["store"])]
    orders = Order.objects.filter(store_id__in=store_ids, deleted_at__isnull=True)
    return order_filter(orders, filters).select_related("store", "source", "payment_plan")


# The indexes `order_filter`'s shapes are read through: a whole filtered list (the CSV export)
# is read through whichever fits, where MariaDB left alone would sort a big store's orders.
ORDER_LIST_INDEXES = (
    "agm_orders_list",
    "agm_orders_list_status",
    "agm_orders_list_payment",
    "agm_orders_phone",
    "agm_orders_name",
    "idx_order_number",
)


def order_filter(orders: QuerySet[Order], filters: OrderFilters) -> QuerySet[Order]:
    """The list's filters and search; each shape has an index (`agm_orders_*`).

    Search is exact or a prefix, never `LIKE '%…%'`: a phone number (any Nigerian format) is
    matched exactly as stored (+234…), something shaped like an order number (letters with a
    digit or a dash) exactly on the number, anything else as the start of the customer's name.
    """
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
        orders = orders.filter(_search(search))
    return orders.order_by("-created_at", "-order_number")


NAME_PREFIX = "customer_name__istartswith"


def _search(search: str) -> Q:
    return Q(_search_rule(search))


def _search_rule(search: str) -> tuple[str, str]:
    """(lookup, value) of the search: the exact phone, the exact number, or a name prefix."""
    with suppress(InvalidPhoneNumber):
        return ("customer_phone", normalise_phone(search))
    number = search.upper().replace(" ", "")
    if ORDER_NUMBER_SHAPE.match(number):
        return ("order_number", number)
    return (NAME_PREFIX, search)


def order_page_for_owner(
    *,
    user: Any,
    filters: OrderFilters | None = None,
    cursor: str | None = None,
    limit: int = 25,
    store_ids: Iterable[str] | None = None,
) -> KeysetPage:
    """One keyset page of the owner's orders (newest first) and a count bounded at 10,000."""
    filters = filters or {}
    store_ids = owner_store_ids(user=user) if store_ids is None else list(store_ids)
    if filters.get("store"):
        store_ids = [sid for sid in store_ids if sid == str(filters["store"])]
    orders = order_filter(Order.objects.filter(deleted_at__isnull=True), filters).select_related(
        "store", "source", "payment_plan"
    )
    search = (filters.get("q") or "").strip()
    return keyset_page(
        orders,
        store_ids=store_ids,
        time_field="created_at",
        key_field="order_number",
        cursor=cursor,
        limit=limit,
        index="agm_orders_name" if search and _search_rule(search)[0] == NAME_PREFIX else None,
    )


def order_get_for_owner(*, user: Any, order_id: str | UUID) -> Order:
    order = (
        Order.objects.filter(store__user=user, store__deleted_at__isnull=True, deleted_at__isnull=True)
        .select_related("store")
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
        email = order.customer_email or ""
        return bool(email) and email.casefold() == contact.casefold()
    try:
        return normalise_phone(contact) == order.customer_phone
    except InvalidPhoneNumber:
        return False


def customer_page_for_owner(
    *,
    user: Any,
    store_id: str | UUID | None = None,
    search: str = "",
    cursor: str | None = None,
    limit: int = 25,
    store_ids: Iterable[str] | None = None,
) -> KeysetPage:
    """The owner's customers (the `orders_customers` table), most recent buyer first.

    Search: a phone number exactly (any Nigerian format), else the start of the name.
    """
    store_ids = owner_store_ids(user=user) if store_ids is None else list(store_ids)
    if store_id:
        store_ids = [sid for sid in store_ids if sid == str(store_id)]
    customers = Customer.objects.filter(last_order_at__isnull=False)
    search = (search or "").strip()
    index = None
    if search:
        try:
            customers = customers.filter(phone=normalise_phone(search))
        except InvalidPhoneNumber:
            customers = customers.filter(name__istartswith=search)
            index = "orders_customer_name"
    return keyset_page(
        customers.select_related("store"),
        store_ids=store_ids,
        time_field="last_order_at",
        key_field="id",
        cursor=cursor,
        limit=limit,
        index=index,
    )


def delivery_rates_for_owner(*, user: Any, store_id: str | UUID | None = None) -> QuerySet[DeliveryRate]:
    rates = DeliveryRate.objects.filter(store__user=user, store__deleted_at__isnull=True).select_related(
        "store"
    )
    if store_id:
        rates = rates.filter(store_id=str(store_id))
    return rates.order_by("store__display_name", "state", "lga")


def delivery_rate_get_for_owner(*, user: Any, rate_id: str | int) -> DeliveryRate:
    rate = delivery_rates_for_owner(user=user).filter(pk=_int(rate_id)).first()
    if rate is None:
        raise NotFound("No such delivery rate.")
    return rate


def delivery_settings_for(*, store: Store) -> DeliverySettings:
    return DeliverySettings.objects.filter(store=store).first() or DeliverySettings(store=store)


def coupons_for_owner(*, user: Any, store_id: str | UUID | None = None) -> QuerySet[Coupon]:
    coupons = Coupon.objects.filter(store__user=user, store__deleted_at__isnull=True).select_related("store")
    if store_id:
        coupons = coupons.filter(store_id=str(store_id))
    return coupons.order_by("-created_at", "-id")


def coupon_get_for_owner(*, user: Any, coupon_id: str | int) -> Coupon:
    coupon = coupons_for_owner(user=user).filter(pk=_int(coupon_id)).first()
    if coupon is None:
        raise NotFound("No such coupon.")
    return coupon


def _int(value: str | int) -> int:
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


def _quote_coupon(
    *, store: Store, code: str | None, subtotal: Decimal, phone: str
) -> tuple[Coupon | None, str | None]:
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


def payment_open_for_order(*, order: Order) -> Any:
    """The order's pending payment, which the shopper's payment page shows, if any.

    A payments.models.Payment or None; typed Any because payments sits above orders."""
    if order.status == OrderStatus.CANCELLED:
        return None  # its stock is back on the shelf: nothing is left to pay for
    return order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()


# --- Payment requests ---


def order_pay_link(order: Order) -> str | None:
    """The shopper's payment page of the order's open payment, or None once nothing is due."""
    if order.status == OrderStatus.CANCELLED or order.payment_status != PaymentStatus.PENDING:
        return None
    payment = order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()
    if payment is None:
        return None
    path = reverse(
        "storefront:payments_storefront:pay",
        kwargs={"username": order.store.username, "reference": payment.payment_reference},
    )
    return f"{site_url()}{path}"


def order_payment_request_text(order: Order, link: str) -> str:
    items = ", ".join(f"{item['quantity']} x {item['product_name']}" for item in order.items or [])
    return (
        f"Hello {order.customer_name}, here is your order {order.order_number} from "
        f"{order.store.display_name}: {items}. Total {naira(order.total)}. Pay by bank transfer here: {link}"
    )


def order_whatsapp_url(order: Order) -> str | None:
    """wa.me to the shopper's number with the request prefilled, for the merchant's phone."""
    link = order_pay_link(order)
    if link is None:
        return None
    text = quote(order_payment_request_text(order, link))
    return f"https://wa.me/{order.customer_phone.lstrip('+')}?text={text}"
