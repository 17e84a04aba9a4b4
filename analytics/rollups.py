"""Recomputing a store's daily rollups from the raw orders, payments and refunds.

The one definition of every figure: the catch-up task, `manage.py analytics_rebuild` and the
tests that compare rollups with the orders all call `rollups_compute`.

- An order counts on the Lagos day it was placed. Soft-deleted orders count nowhere.
- A sale is an order whose payment status is paid and whose status is not cancelled: an
  unpaid, expired or cancelled order is never revenue, and an order refunded in full (its
  payment status becomes refunded) stops being one.
- Revenue is the sale's total (after discount, with delivery); fees its platform fee; a
  product's revenue its line subtotals.
- A refund counts on the day it was started, unless it failed.
- Pay on delivery: an order whose deposit is paid (and which is not cancelled) is a sale worth
  its deposit until the balance is collected, then worth its total like any paid order; its
  items count once it is fully paid (a product's revenue is its lines, which a deposit does
  not split).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from analytics.models import DayBreakdown, Dimension, StoreDay
from analytics.periods import day_start, lagos_day
from catalog.models import Product
from config.money import ZERO
from orders.models import CouponRedemption, Order, OrderItem, OrderPaymentPlan, OrderStatus, PaymentStatus
from payments.models import Payment, PaymentMethod, Refund, RefundStatus
from payments.payment_state import PaymentState

CHUNK = 1000
# A row of `.values()`: read by column name.
Row = dict[str, Any]
METHOD_LABELS = dict(PaymentMethod.choices)
NO_VALUE_LABELS: dict[str, str] = {
    Dimension.STATE: "No delivery state (pickup)",
    Dimension.LGA: "No delivery LGA (pickup)",
    Dimension.CATEGORY: "Uncategorised",
    Dimension.METHOD: "Not recorded",
}


@dataclass
class _Member:
    label: str = ""
    orders: int = 0
    units: int = 0
    revenue: Decimal = ZERO
    discount: Decimal = ZERO


@dataclass
class _Day:
    store: StoreDay
    members: dict[tuple[str, str], _Member] = field(default_factory=lambda: defaultdict(_Member))

    def add(
        self,
        dimension: str,
        key: str | None,
        *,
        label: str = "",
        orders: int = 1,
        units: int = 0,
        revenue: Decimal = ZERO,
        discount: Decimal = ZERO,
    ) -> None:
        member = self.members[(dimension, (key or "")[:255])]
        member.label = (label or NO_VALUE_LABELS.get(dimension, ""))[:255]
        member.orders += orders
        member.units += units
        member.revenue += revenue
        member.discount += discount


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    listed = list(values)
    for start in range(0, len(listed), CHUNK):
        yield listed[start : start + CHUNK]


def is_sale(order: Row) -> bool:
    return bool(order["payment_status"] == PaymentStatus.PAID and order["status"] != OrderStatus.CANCELLED)


def rollups_compute(
    *, store_id: str, first: datetime.date, last: datetime.date
) -> tuple[list[StoreDay], list[DayBreakdown]]:
    """The StoreDay and DayBreakdown rows (unsaved) of the store's days first…last, from the raw
    tables. A day with no order and no refund has no row."""
    since, until = day_start(first), day_start(last + datetime.timedelta(days=1))
    days: dict[datetime.date, _Day] = {}

    def day_of(day: datetime.date) -> _Day:
        if day not in days:
            days[day] = _Day(StoreDay(store_id=store_id, day=day))
        return days[day]

    # Within the created_at range: never an order without a creation time.
    orders = cast(
        list[Row],
        list(
            Order.objects.filter(
                store_id=store_id, created_at__gte=since, created_at__lt=until, deleted_at__isnull=True
            )
            .order_by("created_at", "id")
            .values(
                "id",
                "created_at",
                "status",
                "payment_status",
                "total",
                "agm_fee",
                "discount",
                "shipping_fee",
                "customer_phone",
                "customer_name",
                "delivery_state",
                "delivery_lga",
            )
        ),
    )
    sales = {order["id"]: order for order in orders if is_sale(order)}
    deposits = _deposits_only(orders, sales)
    sales.update({order["id"]: order for order in orders if order["id"] in deposits})
    items, methods, coupons, flags = _order_details(orders, sales)
    categories = dict(
        Product.objects.filter(
            pk__in={item["product_id"] for lines in items.values() for item in lines}
        ).values_list("id", "category")
    )

    for order in orders:
        day = day_of(lagos_day(order["created_at"]))
        figures = day.store
        figures.orders_placed += 1
        figures.cancelled += order["status"] == OrderStatus.CANCELLED
        figures.expired += order["payment_status"] == PaymentStatus.EXPIRED
        day.add(Dimension.STATUS, order["status"] or "", revenue=order["total"])
        for flag in flags.get(order["id"], ()):
            day.add(Dimension.FLAG, flag)
        if order["id"] not in sales:
            continue
        total: Decimal = deposits[order["id"]] if order["id"] in deposits else order["total"]
        figures.sales += 1
        figures.revenue += total
        figures.fees += order["agm_fee"] or ZERO
        figures.discounts += order["discount"] or ZERO
        figures.shipping += order["shipping_fee"] or ZERO
        state, lga = order["delivery_state"] or "", order["delivery_lga"] or ""
        day.add(Dimension.STATE, state, label=state, revenue=total)
        day.add(
            Dimension.LGA,
            f"{state}|{lga}" if lga else "",
            label=f"{lga}, {state}" if lga else "",
            revenue=total,
        )
        day.add(Dimension.CUSTOMER, order["customer_phone"], label=order["customer_name"], revenue=total)
        method = methods.get(order["id"]) or ""
        day.add(Dimension.METHOD, method, label=METHOD_LABELS.get(method, ""), revenue=total)
        if order["id"] in coupons:
            code, amount = coupons[order["id"]]
            day.add(Dimension.COUPON, code, label=code, revenue=total, discount=amount)
        seen_products, seen_categories = set(), set()
        for item in () if order["id"] in deposits else items.get(order["id"], ()):
            quantity, subtotal = item["quantity"], item["subtotal"]
            figures.items_sold += quantity
            product_id = item["product_id"]
            day.add(
                Dimension.PRODUCT,
                product_id,
                label=item["product_name"],
                orders=int(product_id not in seen_products),
                units=quantity,
                revenue=subtotal,
            )
            seen_products.add(product_id)
            category = categories.get(product_id) or ""
            day.add(
                Dimension.CATEGORY,
                category,
                label=category,
                orders=int(category not in seen_categories),
                units=quantity,
                revenue=subtotal,
            )
            seen_categories.add(category)

    refunds = (
        Refund.objects.filter(payment__order__store_id=store_id, created_at__gte=since, created_at__lt=until)
        .exclude(status=RefundStatus.FAILED)
        .values_list("created_at", "amount")
    )
    for created_at, amount in refunds:
        figures = day_of(lagos_day(created_at)).store
        figures.refunds += 1
        figures.refunded += amount

    store_rows, breakdown_rows = [], []
    for date in sorted(days):
        store_rows.append(days[date].store)
        for (dimension, key), member in sorted(days[date].members.items()):
            breakdown_rows.append(
                DayBreakdown(
                    store_id=store_id,
                    day=date,
                    dimension=dimension,
                    key=key,
                    label=member.label,
                    orders=member.orders,
                    units=member.units,
                    revenue=member.revenue,
                    discount=member.discount,
                )
            )
    return store_rows, breakdown_rows


def _deposits_only(orders: list[Row], sales: dict[str, Row]) -> dict[str, Decimal]:
    """{order id: deposit} of the pay-on-delivery orders whose deposit alone is paid so far."""
    open_orders = [o["id"] for o in orders if o["id"] not in sales and o["status"] != OrderStatus.CANCELLED]
    deposits: dict[str, Decimal] = {}
    for ids in _chunks(open_orders):
        deposits.update(
            OrderPaymentPlan.objects.filter(
                order_id__in=ids, deposit_paid_at__isnull=False, balance_paid_at__isnull=True
            ).values_list("order_id", "deposit_amount")
        )
    return deposits


def _order_details(
    orders: list[Row], sales: dict[str, Row]
) -> tuple[dict[str, list[Row]], dict[str, str], dict[str, tuple[str, Decimal]], dict[str, list[str]]]:
    """Items, paying method and coupon of each sale, and the open flags of every order's payments."""
    items: dict[str, list[Row]] = defaultdict(list)
    methods: dict[str, str] = {}
    coupons: dict[str, tuple[str, Decimal]] = {}
    flags: dict[str, list[str]] = defaultdict(list)
    for ids in _chunks(sales):
        for item in cast(
            Iterable[Row],
            OrderItem.objects.filter(order_id__in=ids)
            .order_by("created_at", "id")
            .values("order_id", "product_id", "product_name", "quantity", "subtotal"),
        ):
            items[item["order_id"]].append(item)
        for order_id, code, amount in CouponRedemption.objects.filter(order_id__in=ids).values_list(
            "order_id", "coupon__code", "amount"
        ):
            coupons[order_id] = (code, amount)
    for ids in _chunks(order["id"] for order in orders):
        payments = cast(
            list[Row],
            list(
                Payment.objects.filter(order_id__in=ids).values(
                    "id", "order_id", "status", "payment_method", "metadata"
                )
            ),
        )
        for payment in payments:
            payment["flag"] = PaymentState(payment["metadata"]).flag
        flagged = [p for p in payments if p["flag"]]
        # A flag is settled once money went back for it (a refund that did not fail).
        settled = (
            set(
                Refund.objects.filter(payment_id__in=[p["id"] for p in flagged])
                .exclude(status=RefundStatus.FAILED)
                .values_list("payment_id", flat=True)
            )
            if flagged
            else set()
        )
        for payment in payments:
            if payment["status"] == PaymentStatus.PAID and payment["order_id"] in sales:
                methods[payment["order_id"]] = payment["payment_method"] or ""
        for payment in flagged:
            if payment["id"] not in settled:
                flags[payment["order_id"]].append(payment["flag"])
    return items, methods, coupons, flags
