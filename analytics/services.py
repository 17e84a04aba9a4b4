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
from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from analytics.models import DayBreakdown, Dimension, LedgerDay, StoreDay, Watermark
from analytics.periods import day_start, lagos_day
from analytics.rollups import rollups_compute
from orders.models import Order
from payments.models import LedgerEntry, Payment, Payout, Refund
from stores.models import Store

WATERMARK = "orders"
# Rows are read again from this long before the last run's start: a transaction that was
# still open then (its updated_at earlier than its commit) is seen by the next runs.
OVERLAP = datetime.timedelta(minutes=10)
# A rebuild writes this many days of one store per transaction.
REBUILD_DAYS = 31
FIRST_PURCHASE_CHUNK = 500


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
    *, store_id: str, first: datetime.date, last: datetime.date, seen: set[str] | None = None
) -> None:
    """Rewrite the store's rows of days first…last.

    A rebuild going forward in time passes `seen`, the customers who bought before `first`,
    and the first purchases are flagged as the rows are written; otherwise every customer
    of the range is re-marked afterwards.
    """
    store_rows, breakdown_rows = rollups_compute(store_id=store_id, first=first, last=last)
    customers = DayBreakdown.objects.filter(store_id=store_id, dimension=Dimension.CUSTOMER)
    touched = set()
    if seen is None:
        touched = set(customers.filter(day__gte=first, day__lte=last).values_list("key", flat=True))
        touched |= {row.key for row in breakdown_rows if row.dimension == Dimension.CUSTOMER}
    else:
        for row in sorted(breakdown_rows, key=lambda row: row.day):
            if row.dimension == Dimension.CUSTOMER and row.key not in seen:
                row.first_purchase = True
                seen.add(row.key)
    StoreDay.objects.filter(store_id=store_id, day__gte=first, day__lte=last).delete()
    DayBreakdown.objects.filter(store_id=store_id, day__gte=first, day__lte=last).delete()
    StoreDay.objects.bulk_create(store_rows, batch_size=500)
    DayBreakdown.objects.bulk_create(breakdown_rows, batch_size=500)
    if seen is None:
        _mark_first_purchases(store_id=store_id, keys=touched)


def _mark_first_purchases(*, store_id: str, keys: set[str]) -> None:
    """Flag each customer's earliest day with a sale at the store. A recomputed range can move
    a first purchase to a day outside it (the first order was cancelled), so every customer
    seen in the range is re-marked across all their days."""
    customers = DayBreakdown.objects.filter(store_id=store_id, dimension=Dimension.CUSTOMER)
    keys = sorted(keys)
    for start in range(0, len(keys), FIRST_PURCHASE_CHUNK):
        chunk = keys[start : start + FIRST_PURCHASE_CHUNK]
        rows = customers.filter(key__in=chunk)
        firsts = dict(rows.values("key").annotate(first=Min("day")).values_list("key", "first"))
        rows.filter(first_purchase=True).update(first_purchase=False)
        days: dict[datetime.date, list[str]] = defaultdict(list)
        for key, day in firsts.items():
            days[day].append(key)
        for day, day_keys in days.items():
            rows.filter(day=day, key__in=day_keys).update(first_purchase=True)


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
    for store_id, created_at in orders.values_list("store_id", "created_at").iterator(chunk_size=2000):
        changed[store_id].add(lagos_day(created_at))
    # A payment's flag belongs to its order's day; a refund to its own.
    for store_id, created_at in payments.values_list("order__store_id", "order__created_at").iterator(
        chunk_size=2000
    ):
        changed[store_id].add(lagos_day(created_at))
    for store_id, created_at in refunds.values_list("payment__order__store_id", "created_at"):
        changed[store_id].add(lagos_day(created_at))
    return changed


def _ledger_days_refresh(*, merchant_ids: set[str], since: datetime.datetime | None) -> None:
    """Recompute the merchants' LedgerDay rows from the Lagos day of `since` (or all days)."""
    first = lagos_day(since) if since is not None else None
    for merchant_id in sorted(merchant_ids):
        entries = LedgerEntry.objects.filter(merchant_id=merchant_id)
        rows = LedgerDay.objects.filter(merchant_id=merchant_id)
        if first is not None:
            entries = entries.filter(created_at__gte=day_start(first))
            rows = rows.filter(day__gte=first)
        totals: dict[datetime.date, Decimal] = defaultdict(Decimal)
        for created_at, amount in entries.values_list("created_at", "amount").iterator(chunk_size=5000):
            totals[lagos_day(created_at)] += amount
        rows.delete()
        LedgerDay.objects.bulk_create(
            (
                LedgerDay(merchant_id=merchant_id, day=day, total=total)
                for day, total in sorted(totals.items())
            ),
            batch_size=1000,
        )


def _changed_merchants(since: datetime.datetime | None) -> set[str]:
    """Merchants whose ledger may have grown: every entry is booked with a change to its
    payment, payout or refund row, whose updated_at moves."""
    if since is None:
        return set(LedgerEntry.objects.values_list("merchant_id", flat=True).distinct())
    merchants = set(Payment.objects.filter(updated_at__gte=since).values_list("user_id", flat=True))
    merchants |= set(Payout.objects.filter(updated_at__gte=since).values_list("merchant_id", flat=True))
    merchants |= set(Refund.objects.filter(updated_at__gte=since).values_list("merchant_id", flat=True))
    return merchants


def rollups_catch_up() -> int:
    """Recompute every (store, day) whose orders, payments or refunds changed since the last
    run (with OVERLAP to spare), then move the watermark. Returns the number of days."""
    with transaction.atomic():
        mark = _lock_watermark()
        started = timezone.now()
        since = mark.reached_at - OVERLAP if mark.reached_at else None
        count = rollups_refresh(days_by_store=_changed_days(since))
        _ledger_days_refresh(merchant_ids=_changed_merchants(since), since=since)
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
    seen: dict[str, set[str]] = {}
    for index, (pk, first, last) in enumerate(plan, start=1):
        if pk not in seen:
            earlier = DayBreakdown.objects.filter(store_id=pk, dimension=Dimension.CUSTOMER, day__lt=first)
            seen[pk] = set(earlier.values_list("key", flat=True).distinct())
        with transaction.atomic():
            _lock_watermark()
            _replace(store_id=pk, first=first, last=last, seen=seen[pk])
        done += (last - first).days + 1
        if progress:
            progress(index, len(plan))
    with transaction.atomic():
        _lock_watermark()
        merchants = set(stores.values_list("user_id", flat=True))
        _ledger_days_refresh(merchant_ids=merchants, since=day_start(since) if since else None)
    if store_id is None and since is None:
        # Everything was recomputed: a first catch-up need not read all the orders again.
        with transaction.atomic():
            mark = _lock_watermark()
            if mark.reached_at is None:
                mark.reached_at = started
                mark.save(update_fields=["reached_at", "updated_at"])
    return done
