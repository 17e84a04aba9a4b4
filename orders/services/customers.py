"""The per-store customer table (`orders.models.Customer`): one row per store and phone number.

A row is never incremented: every refresh recomputes it from that customer's orders (a few rows
read through the `agm_orders_phone` index), so a refresh that runs twice, late or out of order
still leaves the right figures. Three paths refresh rows:

- our own order writes (placement, status changes, payment, expiry, refunds) call
  `customer_refresh_on_commit`, which refreshes once the write has committed;
- `customers_catch_up`, a periodic task, refreshes every customer whose orders changed since
  its last run (`orders.updated_at`, which the other backends' writes bump too);
- `manage.py customers_rebuild` recomputes every row, with a progress bar.

Why after commit, and why the lock comes first: a refresh locks the customer row and only then
reads the orders. InnoDB takes a transaction's snapshot at its first plain read, so that read
sees every order committed before the lock was granted; two refreshes of one customer queue on
the row and the later one always sees the earlier one's orders.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.utils import timezone

from orders.models import Customer, CustomerSyncMark, Order, OrderStatus, PaymentStatus

# A write that started before the previous catch-up may commit after it, carrying an older
# `updated_at`: each run re-reads this much before its mark (refreshing twice costs nothing).
CATCH_UP_OVERLAP = timedelta(minutes=10)
CATCH_UP_BATCH = 500


def _spent() -> Q:
    # Money the customer has paid or owes on live orders: cancelled and refunded ones excluded.
    return ~Q(status=OrderStatus.CANCELLED) & ~Q(payment_status=PaymentStatus.REFUNDED)


def customer_figures(*, store_id: str, phone: str) -> dict[str, Any] | None:
    """The customer's summary recomputed from their live orders (None when none is left)."""
    orders = Order.objects.filter(store_id=store_id, customer_phone=phone, deleted_at__isnull=True)
    figures = orders.aggregate(
        orders_count=Count("id"),
        total_spent=Sum("total", filter=_spent(), default=0),
        first_order_at=Min("created_at"),
        last_order_at=Max("created_at"),
    )
    if not figures["orders_count"]:
        return None
    latest = orders.order_by("-created_at", "-order_number").values("customer_name").first()
    email = (
        orders.exclude(customer_email__isnull=True)
        .exclude(customer_email="")
        .order_by("-created_at", "-order_number")
        .values_list("customer_email", flat=True)
        .first()
    )
    return {**figures, "name": latest["customer_name"] if latest else "", "email": email or ""}


def customer_refresh(*, store_id: str, phone: str) -> Customer | None:
    """Recompute one customer's row from their orders; removes it when they have none left."""
    if not phone:
        return None
    # Inserted on its own (autocommit) so the lock below never meets a half-made row.
    Customer.objects.bulk_create([Customer(store_id=store_id, phone=phone, name="")], ignore_conflicts=True)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(store_id=store_id, phone=phone)
        figures = customer_figures(store_id=store_id, phone=phone)
        if figures is None:
            customer.delete()
            return None
        for field, value in figures.items():
            setattr(customer, field, value)
        customer.save()
    return customer


def customer_refresh_on_commit(order: Order) -> None:
    """Refresh the order's customer once the current transaction commits (now, outside one)."""
    transaction.on_commit(
        partial(customer_refresh, store_id=order.store_id, phone=order.customer_phone), robust=True
    )


def customers_refresh(pairs: Iterable[tuple[str, str]]) -> int:
    count = 0
    for store_id, phone in pairs:
        customer_refresh(store_id=store_id, phone=phone)
        count += 1
    return count


def customers_catch_up(*, now: datetime | None = None) -> int:
    """Refresh every customer whose orders changed since the last run; returns how many."""
    now = now or timezone.now()
    mark = CustomerSyncMark.objects.order_by("pk").first()
    changed = Order.objects.all()
    if mark is not None:
        changed = changed.filter(updated_at__gte=mark.synced_until - CATCH_UP_OVERLAP)
    pairs = changed.filter(updated_at__lte=now).values_list("store_id", "customer_phone").distinct()
    count = customers_refresh(pairs.iterator(chunk_size=CATCH_UP_BATCH))
    if mark is None:
        CustomerSyncMark.objects.create(synced_until=now)
    else:
        CustomerSyncMark.objects.filter(pk=mark.pk).update(synced_until=now)
    return count


def customers_rebuild(
    *, store_id: str | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every customer row (of one store, or all) from the orders; returns how many.

    Walks the distinct (store, phone) pairs in index order in batches, so memory stays flat;
    rows whose customer has no order left are removed at the end.
    """
    orders = Order.objects.all() if store_id is None else Order.objects.filter(store_id=store_id)
    pairs = orders.values_list("store_id", "customer_phone").distinct().order_by("store_id", "customer_phone")
    total = pairs.count()
    done = 0
    last: tuple[str, str] | None = None
    while True:
        batch = pairs
        if last is not None:
            batch = batch.filter(Q(store_id__gt=last[0]) | Q(store_id=last[0], customer_phone__gt=last[1]))
        rows = list(batch[:CATCH_UP_BATCH])
        if not rows:
            break
        done += customers_refresh(rows)
        last = rows[-1]
        if progress is not None:
            progress(done, total)
    live_orders = Order.objects.filter(
        store_id=OuterRef("store_id"), customer_phone=OuterRef("phone"), deleted_at__isnull=True
    )
    stale = Customer.objects.all() if store_id is None else Customer.objects.filter(store_id=store_id)
    stale.exclude(Exists(live_orders)).delete()
    return done
