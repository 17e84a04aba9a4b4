"""Every write of the analytics app: replacing a store's rollups for some days, the catch-up
that finds which days changed, and the full rebuild.

Why a catch-up task rather than writes in the order and payment transactions: the database is
shared with other backends that write orders too (they would never update our rollups), and
a task that re-reads `updated_at` sees every writer alike. Recomputing a whole (store, day)
from the raw rows makes each run idempotent: running twice, or over days that did not
change, writes the same rows.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.utils import timezone

from analytics.models import DayBreakdown, Dimension, MonthBreakdown, StoreDay, Watermark
from analytics.periods import lagos_day, month_starts
from analytics.rollups import rollups_compute
from orders.models import Order
from payments.models import Payment, Refund
from stores.models import Store

WATERMARK = "orders"
# Rows are read again from this long before the last run's start: a transaction that was
# still open then (its updated_at earlier than its commit) is seen by the next runs.
OVERLAP = datetime.timedelta(minutes=10)
# A rebuild writes this many days of one store per transaction.
REBUILD_DAYS = 31
CUSTOMER_CHUNK = 500


def _lock_watermark() -> Watermark:
    mark, _created = Watermark.objects.select_for_update().get_or_create(name=WATERMARK)
    return mark


def _ranges(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days merged into (first, last) ranges."""
    ranges: list[list[datetime.date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == datetime.timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]


def _replace(
    *,
    store_id: str,
    first: datetime.date,
    last: datetime.date,
    seen: dict[str, datetime.date] | None = None,
) -> None:
    """Rewrite the store's rows of days first…last.

    Each customer row is linked to the customer's previous day with a sale (and flagged as a
    first purchase when there is none). A rebuild going forward in time passes `seen`, each
    customer's last such day before `first`, and keeps it up to date; otherwise those days are
    read, and the customers' first rows after the range are re-linked, since their previous
    day may have moved (a sale in the range added, or cancelled).
    """
    store_rows, breakdown_rows = rollups_compute(store_id=store_id, first=first, last=last)
    customers = DayBreakdown.objects.filter(store_id=store_id, dimension=Dimension.CUSTOMER)
    bought = sorted((row for row in breakdown_rows if row.dimension == Dimension.CUSTOMER), key=_day)
    touched: set[str] = set()
    if seen is None:
        touched = set(customers.filter(day__gte=first, day__lte=last).values_list("key", flat=True))
        touched |= {row.key for row in bought}
        seen = _last_days(customers.filter(day__lt=first), touched)
    for row in bought:
        row.previous_day = seen.get(row.key)
        row.first_purchase = row.previous_day is None
        seen[row.key] = row.day
    days = DayBreakdown.objects.filter(store_id=store_id, day__gte=first, day__lte=last)
    members: dict[str, set[str]] = defaultdict(set)
    for dimension, key in days.values_list("dimension", "key").distinct():
        members[dimension].add(key)
    for row in breakdown_rows:
        members[row.dimension].add(row.key)
    StoreDay.objects.filter(store_id=store_id, day__gte=first, day__lte=last).delete()
    days.delete()
    StoreDay.objects.bulk_create(store_rows, batch_size=500)
    DayBreakdown.objects.bulk_create(breakdown_rows, batch_size=500)
    if touched:
        _relink_after(customers, touched, last=last, seen=seen)
    _add_up_months(store_id=store_id, first=first, last=last, members=members)


def _add_up_months(
    *, store_id: str, first: datetime.date, last: datetime.date, members: dict[str, set[str]]
) -> None:
    """Sum again, from their day rows, the month rows of the members that had or have a row
    on the days first…last (the months those days fall in). The other members' month rows
    did not change; a catch-up of one day rewrites only that day's members."""
    for month, following in month_starts(first, last):
        for dimension, keys in sorted(members.items()):
            keys_sorted = sorted(keys)
            for start in range(0, len(keys_sorted), CUSTOMER_CHUNK):
                chunk = keys_sorted[start : start + CUSTOMER_CHUNK]
                MonthBreakdown.objects.filter(
                    store_id=store_id, month=month, dimension=dimension, key__in=chunk
                ).delete()
                sums = (
                    DayBreakdown.objects.filter(
                        store_id=store_id,
                        dimension=dimension,
                        key__in=chunk,
                        day__gte=month,
                        day__lt=following,
                    )
                    .values("key")
                    .annotate(
                        label_max=Max("label"),
                        orders_sum=Sum("orders"),
                        units_sum=Sum("units"),
                        revenue_sum=Sum("revenue"),
                        discount_sum=Sum("discount"),
                    )
                    .order_by("key")
                )
                MonthBreakdown.objects.bulk_create(
                    [
                        MonthBreakdown(
                            store_id=store_id,
                            month=month,
                            dimension=dimension,
                            key=row["key"],
                            label=row["label_max"],
                            orders=row["orders_sum"],
                            units=row["units_sum"],
                            revenue=row["revenue_sum"],
                            discount=row["discount_sum"],
                        )
                        for row in sums
                    ],
                    batch_size=500,
                )


def _day(row: DayBreakdown) -> datetime.date:
    return row.day


def _last_days(rows: QuerySet[DayBreakdown], keys: set[str]) -> dict[str, datetime.date]:
    """Each of the customers' latest day among `rows`."""
    keys_sorted = sorted(keys)
    last_days: dict[str, datetime.date] = {}
    for start in range(0, len(keys_sorted), CUSTOMER_CHUNK):
        chunk = keys_sorted[start : start + CUSTOMER_CHUNK]
        last_days.update(
            rows.filter(key__in=chunk).values("key").annotate(last=Max("day")).values_list("key", "last")
        )
    return last_days


def _relink_after(
    customers: QuerySet[DayBreakdown], keys: set[str], *, last: datetime.date, seen: dict[str, datetime.date]
) -> None:
    """Point each customer's first row after `last` at their latest day up to `last`."""
    keys_sorted = sorted(keys)
    for start in range(0, len(keys_sorted), CUSTOMER_CHUNK):
        chunk = keys_sorted[start : start + CUSTOMER_CHUNK]
        following = customers.filter(key__in=chunk, day__gt=last).values("key").annotate(next=Min("day"))
        for key, day in following.values_list("key", "next"):
            previous = seen.get(key)
            customers.filter(key=key, day=day).update(previous_day=previous, first_purchase=previous is None)


def rollups_refresh(*, days_by_store: dict[str, set[datetime.date]]) -> int:
    """Recompute the given days of each store; returns how many days were recomputed."""
    count = 0
    with transaction.atomic():
        _lock_watermark()
        for store_id, days in days_by_store.items():
            for first, last in _ranges(days):
                _replace(store_id=store_id, first=first, last=last)
                count += (last - first).days + 1
    return count


def _changed_days(since: datetime.datetime | None) -> dict[str, set[datetime.date]]:
    changed: dict[str, set[datetime.date]] = defaultdict(set)
    orders = Order.objects.all()
    payments = Payment.objects.all()
    refunds = Refund.objects.all()
    if since is not None:
        orders = orders.filter(updated_at__gte=since)
        payments = payments.filter(updated_at__gte=since)
        refunds = refunds.filter(updated_at__gte=since)
    # An order without a creation time has no day (the rollups never count it).
    for store_id, created_at in orders.values_list("store_id", "created_at").iterator(chunk_size=2000):
        if created_at is not None:
            changed[store_id].add(lagos_day(created_at))
    # A payment's flag belongs to its order's day; a refund to its own.
    for store_id, created_at in payments.values_list("order__store_id", "order__created_at").iterator(
        chunk_size=2000
    ):
        if created_at is not None:
            changed[store_id].add(lagos_day(created_at))
    for store_id, created_at in refunds.values_list("payment__order__store_id", "created_at"):
        changed[store_id].add(lagos_day(created_at))
    return changed


def rollups_catch_up() -> int:
    """Recompute every (store, day) whose orders, payments or refunds changed since the last
    run (with OVERLAP to spare), then move the watermark. Returns the number of days."""
    with transaction.atomic():
        mark = _lock_watermark()
        started = timezone.now()
        since = mark.reached_at - OVERLAP if mark.reached_at else None
        count = rollups_refresh(days_by_store=_changed_days(since))
        mark.reached_at = started
        mark.save(update_fields=["reached_at", "updated_at"])
    return count


def rollups_rebuild(
    *,
    store_id: str | None = None,
    since: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the rollups of one store or all, from `since` (or their first order) to today,
    REBUILD_DAYS per transaction. Days without orders lose any rows they had. Returns the
    number of days."""
    today = lagos_day(timezone.now())
    stores = Store.objects.order_by("pk")
    if store_id:
        stores = stores.filter(pk=store_id)
    plan = []
    for store in stores.only("pk"):
        first = since
        if first is None:
            oldest = (
                Order.objects.filter(store_id=store.pk)
                .order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            )
            first = lagos_day(oldest) if oldest else today
        day = first
        while day <= today:
            last = min(day + datetime.timedelta(days=REBUILD_DAYS - 1), today)
            plan.append((store.pk, day, last))
            day = last + datetime.timedelta(days=1)
    started = timezone.now()
    done = 0
    seen: dict[str, dict[str, datetime.date]] = {}
    for index, (pk, first, last) in enumerate(plan, start=1):
        if pk not in seen:
            earlier = DayBreakdown.objects.filter(store_id=pk, dimension=Dimension.CUSTOMER, day__lt=first)
            seen[pk] = dict(earlier.values("key").annotate(last=Max("day")).values_list("key", "last"))
        with transaction.atomic():
            _lock_watermark()
            _replace(store_id=pk, first=first, last=last, seen=seen[pk])
        done += (last - first).days + 1
        if progress:
            progress(index, len(plan))
    if store_id is None and since is None:
        # Everything was recomputed: a first catch-up need not read all the orders again.
        with transaction.atomic():
            mark = _lock_watermark()
            if mark.reached_at is None:
                mark.reached_at = started
                mark.save(update_fields=["reached_at", "updated_at"])
    return done
