"""Reads of the analytics pages and API. Every figure comes from the daily rollups (a fixed
number of queries whatever the number of orders, none of which reads all of a merchant's
orders); only the short live lists (recent orders, payouts, stock) read other tables.

Every function takes the store ids the caller owns (`stores_in_scope`), never a bare id.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from analytics.breakdown_selectors import member_totals
from analytics.models import DayBreakdown, Dimension, MonthBreakdown, StoreDay, Watermark
from analytics.periods import Period, bucket_label, bucket_start, buckets, day_start
from analytics.services import WATERMARK
from catalog.models import Product
from catalog.validation import DEFAULT_LOW_STOCK_THRESHOLD
from config.errors import NotFound
from config.money import ZERO, to_kobo
from orders.models import Order, OrderStatus
from orders.selectors import recovered_totals
from payments.models import Payout, PayoutStatus
from payments.selectors import ledger_balance
from stores.models import Store

PAYOUTS_IN_PROGRESS = (
    PayoutStatus.PENDING_APPROVAL,
    PayoutStatus.QUEUED,
    PayoutStatus.SUBMITTING,
    PayoutStatus.PENDING_AUTHORIZATION,
    PayoutStatus.PROCESSING,
)
FLAG_LABELS = {
    "partly_paid": "Paid short",
    "overpaid": "Overpaid",
    "late_payment": "Paid after expiry",
    "paid_after_cancel": "Paid after cancelling",
    "reversed": "Reversed",
}
# Before the first catch-up has run, the recent orders come from this far back.
RECENT_FALLBACK = datetime.timedelta(days=30)
HUNDRED = Decimal(100)


def stores_for_owner(*, user: Any) -> list[Store]:
    return list(Store.objects.owned_by(user).order_by("display_name").only("id", "display_name", "username"))


def stores_in_scope(*, stores: list[Store], store_id: str | None) -> list[str]:
    """The ids the figures cover: one of the caller's stores, or all of them."""
    if not store_id:
        return [store.pk for store in stores]
    wanted = str(store_id).lower()
    if wanted not in {store.pk for store in stores}:
        raise NotFound("No such store.", details={"storeId": str(store_id)})
    return [wanted]


def percent_change(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """The change in per cent, one decimal place; None when there is nothing to compare with."""
    if not previous:
        return None
    return round((Decimal(current) - Decimal(previous)) * HUNDRED / Decimal(previous), 1)


def share(part: Decimal | int, whole: Decimal | int | None) -> Decimal | None:
    if not whole:
        return None
    return round(Decimal(part) * HUNDRED / Decimal(whole), 1)


@dataclass(frozen=True)
class Figures:
    revenue: Decimal = ZERO
    fees: Decimal = ZERO
    sales: int = 0
    items_sold: int = 0
    orders_placed: int = 0
    cancelled: int = 0
    refunds: int = 0
    refunded: Decimal = ZERO
    customers: int = 0
    returning_customers: int = 0
    pending: int = 0

    @property
    def net_revenue(self) -> Decimal:
        return self.revenue - self.fees

    @property
    def average_order_value(self) -> Decimal:
        return to_kobo(self.revenue / self.sales) if self.sales else ZERO

    @property
    def new_customers(self) -> int:
        return self.customers - self.returning_customers


SUMMED = ("revenue", "fees", "sales", "items_sold", "orders_placed", "cancelled", "refunds", "refunded")
MONEY_FIGURES = ("revenue", "fees", "refunded")


def _breakdowns(store_ids: list[str], dimension: str, period: Period | None = None) -> QuerySet[DayBreakdown]:
    rows = DayBreakdown.objects.filter(store_id__in=store_ids, dimension=dimension)
    if period is not None:
        rows = rows.filter(day__gte=period.first, day__lte=period.last)
    return rows


def figures(*, store_ids: list[str], period: Period) -> Figures:
    """The period's cards: three queries."""
    return _figures(store_ids, [period])[0]


def figures_with_previous(*, store_ids: list[str], period: Period) -> tuple[Figures, Figures]:
    """The period's cards and the previous period's (the same number of days before it), in
    the same three queries: each sums the rows of both periods at once, split by day."""
    current, previous = _figures(store_ids, [period, period.previous()])
    return current, previous


def _figures(store_ids: list[str], periods: list[Period]) -> list[Figures]:
    """Figures of consecutive or separate periods, each aggregate computed per period in one
    query over the days they span (the rows in between, if any, are read and not counted)."""
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    within = [Q(day__gte=p.first, day__lte=p.last) for p in periods]
    totals = StoreDay.objects.filter(store_id__in=store_ids, day__gte=first, day__lte=last).aggregate(
        **{f"{name}_{i}": Sum(name, filter=q) for i, q in enumerate(within) for name in SUMMED}
    )
    customers = _customer_counts(store_ids, periods)
    pending = (
        _breakdowns(store_ids, Dimension.STATUS, Period("custom", first, last))
        .filter(key=OrderStatus.PENDING)
        .aggregate(**{f"pending_{i}": Sum("orders", filter=q) for i, q in enumerate(within)})
    )
    results = []
    for i in range(len(periods)):
        counted, new = customers[i]
        summed: dict[str, Any] = {
            name: totals[f"{name}_{i}"] or (ZERO if name in MONEY_FIGURES else 0) for name in SUMMED
        }
        results.append(
            Figures(
                **summed,
                customers=counted,
                returning_customers=counted - new,
                pending=pending[f"pending_{i}"] or 0,
            )
        )
    return results


def _customer_counts(store_ids: list[str], periods: list[Period]) -> list[tuple[int, int]]:
    """Each period's customers and new customers, in one query read from an index alone.

    A customer (a phone, per store) is counted on their first row in the period: the one whose
    previous sale is before the period, or who has none (a new customer)."""
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    new = Q(previous_day__isnull=True)
    counts = _breakdowns(store_ids, Dimension.CUSTOMER, Period("custom", first, last)).aggregate(
        **{
            f"customers_{i}": Count(
                "pk", filter=Q(day__gte=p.first, day__lte=p.last) & (new | Q(previous_day__lt=p.first))
            )
            for i, p in enumerate(periods)
        },
        **{
            f"new_{i}": Count("pk", filter=Q(day__gte=p.first, day__lte=p.last) & new)
            for i, p in enumerate(periods)
        },
    )
    return [(counts[f"customers_{i}"], counts[f"new_{i}"]) for i in range(len(periods))]


@dataclass
class Point:
    start: datetime.date
    label: str
    revenue: Decimal = ZERO
    fees: Decimal = ZERO
    orders: int = 0
    items_sold: int = 0
    refunded: Decimal = ZERO

    @property
    def net_revenue(self) -> Decimal:
        return self.revenue - self.fees


def series(*, store_ids: list[str], period: Period, group: str) -> list[Point]:
    """Revenue and sales per day, week or month of the period: one query, every bucket present."""
    points = {start: Point(start, bucket_label(start, group)) for start in buckets(period, group)}
    rows = (
        StoreDay.objects.filter(store_id__in=store_ids, day__gte=period.first, day__lte=period.last)
        .values("day")
        .annotate(
            revenue=Sum("revenue"),
            fees=Sum("fees"),
            orders=Sum("sales"),
            items=Sum("items_sold"),
            refunded=Sum("refunded"),
        )
        .order_by("day")
    )
    for row in rows:
        point = points[bucket_start(row["day"], group)]
        point.revenue += row["revenue"]
        point.fees += row["fees"]
        point.orders += row["orders"]
        point.items_sold += row["items"]
        point.refunded += row["refunded"]
    return list(points.values())


def breakdown(
    *,
    store_ids: list[str],
    period: Period,
    dimension: str,
    order_by: str = "revenue",
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """A dimension's members over the period, best first (the first `limit`): one query, over
    the period's whole months' rollups and its partial months' days."""
    return member_totals(
        store_ids=store_ids, dimension=dimension, period=period, order_by=order_by, limit=limit
    )


def top_products(
    *, store_ids: list[str], period: Period, by: str = "revenue", limit: int = 5
) -> list[dict[str, Any]]:
    """Best sellers with their views and view-to-order conversion: three queries."""
    return top_products_by(store_ids=store_ids, period=period, orders=(by,), limit=limit)[by]


def top_products_by(
    *, store_ids: list[str], period: Period, orders: tuple[str, ...], limit: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """The best sellers by each of `orders` (revenue, units), with their views and
    view-to-order conversion: one query per ranking and two for all of them.

    Views are the products' lifetime counts (the storefront counts them without dates), so the
    conversion is lifetime too: orders that contained the product per hundred views.
    """
    rankings = {
        by: breakdown(
            store_ids=store_ids, period=period, dimension=Dimension.PRODUCT, order_by=by, limit=limit
        )
        for by in orders
    }
    ids = sorted({row["key"] for rows in rankings.values() for row in rows})
    views = dict(Product.objects.filter(store_id__in=store_ids, pk__in=ids).values_list("id", "view_count"))
    lifetime = dict(
        MonthBreakdown.objects.filter(store_id__in=store_ids, dimension=Dimension.PRODUCT, key__in=ids)
        .values("key")
        .annotate(orders=Sum("orders"))
        .values_list("key", "orders")
    )
    for rows in rankings.values():
        for row in rows:
            row["views"] = views.get(row["key"]) or 0
            row["lifetime_orders"] = lifetime.get(row["key"], 0)
            row["conversion"] = share(row["lifetime_orders"], row["views"])
            row["still_listed"] = row["key"] in views
    return rankings


def status_counts(*, store_ids: list[str], period: Period | None = None) -> dict[str, dict[str, Any]]:
    """Orders by their current status (placed in the period, or ever)."""
    counts = {status: {"orders": 0, "total": ZERO} for status in OrderStatus.values}
    for row in member_totals(store_ids=store_ids, dimension=Dimension.STATUS, period=period):
        counts[row["key"]] = {"orders": row["orders"], "total": row["revenue"]}
    return counts


def status_series(*, store_ids: list[str], period: Period, group: str) -> list[dict[str, Any]]:
    """Orders placed per bucket, split by their current status."""
    points = {
        start: {"period": start, "label": bucket_label(start, group), **{s: 0 for s in OrderStatus.values}}
        for start in buckets(period, group)
    }
    rows = _breakdowns(store_ids, Dimension.STATUS, period).values("day", "key")
    for row in rows.annotate(orders=Sum("orders")):
        point = points[bucket_start(row["day"], group)]
        point[row["key"]] = point.get(row["key"], 0) + row["orders"]
    return list(points.values())


@dataclass
class CustomerSummary:
    customers: int
    returning: int
    repeat: int
    top: list[dict[str, Any]] = field(default_factory=list)

    @property
    def repeat_rate(self) -> Decimal | None:
        return share(self.repeat, self.customers)


def customers_summary(*, store_ids: list[str], period: Period, limit: int = 20) -> CustomerSummary:
    """Customers of the period (distinct phones per store); returning ones first bought before
    the period, repeat ones bought before it or more than once in it. Top customers by spend.
    Three queries: the counts from the index, the new customers who bought again, the top."""
    [(customers, new)] = _customer_counts(store_ids, [period])
    returning = customers - new
    # Repeat customers who are new in the period bought twice on their first day, or bought
    # again within the period: their second row is in it and points at a first row (no
    # previous day) of one order. Each such customer has exactly one of those two rows, so a
    # count of rows (each second row a primary-key lookup of its first) and no GROUP BY.
    first_of_one = DayBreakdown.objects.filter(
        store_id=OuterRef("store_id"),
        dimension=Dimension.CUSTOMER,
        day=OuterRef("previous_day"),
        key=OuterRef("key"),
        previous_day__isnull=True,
        orders=1,
    )
    new_repeat = (
        _breakdowns(store_ids, Dimension.CUSTOMER, period)
        .filter(
            Q(previous_day__isnull=True, orders__gte=2)
            | Q(previous_day__gte=period.first, previous_day__lte=period.last) & Exists(first_of_one)
        )
        .count()
    )
    repeat = returning + new_repeat
    top = (
        breakdown(store_ids=store_ids, period=period, dimension=Dimension.CUSTOMER, limit=limit)
        if limit
        else []
    )
    return CustomerSummary(customers=customers, returning=returning, repeat=repeat, top=top)


@dataclass(frozen=True)
class HomeFigures:
    """What the dashboard home reads from the rollups for a period."""

    current: Figures
    previous: Figures
    points: list[Point]
    top_revenue: list[dict[str, Any]]
    top_units: list[dict[str, Any]]


# The rollups only change when the catch-up runs (every minute): until then a page's figures
# are fixed and kept. The key holds the watermark, so the next run's figures are read afresh.
HOME_CACHE_SECONDS = 300
# The top products the home and the dashboard API list (they share the kept figures).
TOP_PRODUCTS = 5


def home_figures(
    *, store_ids: list[str], period: Period, reached_at: datetime.datetime | None, top: int
) -> HomeFigures:
    """The home's cards (beside the previous period), chart and top products: eight queries, or
    none when the same figures were read since the last catch-up. Before any catch-up has run
    nothing marks the rollups' state, and they are read every time."""
    key = None
    if reached_at is not None:
        scope = f"{reached_at.isoformat()}|{period.first}|{period.last}|{top}|{','.join(sorted(store_ids))}"
        key = f"analytics:home:{hashlib.sha256(scope.encode()).hexdigest()}"
        kept = cache.get(key)
        if kept is not None:
            return cast(HomeFigures, kept)
    current, previous = figures_with_previous(store_ids=store_ids, period=period)
    ranked = top_products_by(store_ids=store_ids, period=period, orders=("revenue", "units"), limit=top)
    result = HomeFigures(
        current=current,
        previous=previous,
        points=series(store_ids=store_ids, period=period, group=period.default_group()),
        top_revenue=ranked["revenue"],
        top_units=ranked["units"],
    )
    if key is not None:
        cache.set(key, result, HOME_CACHE_SECONDS)
    return result


def recent_orders(*, store_ids: list[str], limit: int = 5) -> list[Order]:
    """The newest orders: two queries that never sort all of a merchant's orders.

    The rollups give the latest days holding at least `limit` orders; the newest `limit`
    orders were all placed on or after the earliest of them (orders newer than the last
    catch-up are newer still).
    """
    since = timezone.now() - RECENT_FALLBACK
    placed = 0
    for day, count in (
        StoreDay.objects.filter(store_id__in=store_ids, orders_placed__gt=0)
        .order_by("-day")
        .values_list("day", "orders_placed")[:limit]
    ):
        placed += count
        since = day_start(day)
        if placed >= limit:
            break
    return list(
        Order.objects.filter(store_id__in=store_ids, deleted_at__isnull=True, created_at__gte=since)
        .order_by("-created_at", "-order_number")
        .only("id", "order_number", "customer_name", "total", "status", "payment_status", "created_at")[
            :limit
        ]
    )


@dataclass(frozen=True)
class Attention:
    pending: int
    confirmed: int
    processing: int
    flags: dict[str, int]
    payouts_in_progress: int
    payouts_amount: Decimal
    next_payout: Payout | None
    low_stock: int
    sold_out: int
    balance: Decimal

    @property
    def flagged(self) -> int:
        return sum(self.flags.values())

    @property
    def anything(self) -> bool:
        return any(
            (self.pending, self.confirmed, self.processing, self.flagged, self.low_stock, self.sold_out)
        )


def attention(*, user: Any, store_ids: list[str]) -> Attention:
    """What waits for the merchant now, whatever the period: five queries."""
    statuses: dict[str, int] = {}
    flags: dict[str, int] = {}
    waiting = [OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PROCESSING]
    for dimension, key, orders in (
        MonthBreakdown.objects.filter(store_id__in=store_ids)
        .filter(Q(dimension=Dimension.STATUS, key__in=waiting) | Q(dimension=Dimension.FLAG))
        .values("dimension", "key")
        .annotate(orders=Sum("orders"))
        .values_list("dimension", "key", "orders")
    ):
        (statuses if dimension == Dimension.STATUS else flags)[key] = orders
    payouts = Payout.objects.filter(merchant=user, status__in=PAYOUTS_IN_PROGRESS)
    in_progress = payouts.aggregate(count=Count("id"), amount=Sum("amount"))
    threshold = Coalesce(
        F("low_stock_threshold"), Value(DEFAULT_LOW_STOCK_THRESHOLD), output_field=IntegerField()
    )
    stock = Product.objects.filter(store_id__in=store_ids, deleted_at__isnull=True, is_active=True).aggregate(
        sold_out=Count("id", filter=Q(stock_quantity__lte=0)),
        low=Count("id", filter=Q(stock_quantity__gt=0, stock_quantity__lte=threshold)),
    )
    return Attention(
        pending=statuses.get(OrderStatus.PENDING, 0),
        confirmed=statuses.get(OrderStatus.CONFIRMED, 0),
        processing=statuses.get(OrderStatus.PROCESSING, 0),
        flags={FLAG_LABELS.get(key, key): count for key, count in sorted(flags.items()) if count},
        payouts_in_progress=in_progress["count"],
        payouts_amount=in_progress["amount"] or ZERO,
        next_payout=payouts.order_by("created_at").first(),
        low_stock=stock["low"],
        sold_out=stock["sold_out"],
        balance=ledger_balance(user=user),
    )


@dataclass(frozen=True)
class Recovered:
    orders: int
    revenue: Decimal


def recovered(*, store_ids: list[str], period: Period) -> Recovered:
    """Orders that recovery reminders won back and that were paid within the period (Lagos
    days), as orders.selectors.recovery_summary counts them: one query."""
    orders, revenue = recovered_totals(
        store_ids=store_ids,
        since=day_start(period.first),
        until=day_start(period.last + datetime.timedelta(days=1)),
    )
    return Recovered(orders=orders, revenue=revenue)


def has_orders(*, store_ids: list[str]) -> bool:
    return Order.objects.filter(store_id__in=store_ids).exists()


def rollups_reached_at() -> datetime.datetime | None:
    return Watermark.objects.filter(name=WATERMARK).values_list("reached_at", flat=True).first()


def has_products(*, store_ids: list[str]) -> bool:
    return Product.objects.filter(store_id__in=store_ids, deleted_at__isnull=True).exists()
