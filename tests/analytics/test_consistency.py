"""The rollups equal a recomputation from the raw orders after a random sequence of
placements, payments, overpayments, cancellations (with refunds) and expiries."""

import contextlib
import datetime
import random

import pytest
import time_machine
from django.db.models import Min

from analytics.models import DayBreakdown, Dimension, MonthBreakdown, StoreDay
from analytics.rollups import rollups_compute
from analytics.services import rollups_catch_up, rollups_rebuild
from orders.models import Order, OrderStatus, PaymentStatus
from orders.services import order_cancel, order_expire_payment
from payments import tasks as payment_tasks
from payments.models import Refund
from payments.services import InsufficientBalance
from tests.analytics.conftest import lagos
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db

STORE_FIELDS = [f.name for f in StoreDay._meta.fields if f.name not in ("id",)]
# A customer's first-purchase flag and previous day span days: they are checked apart,
# against all stored days.
LINKS = ("first_purchase", "previous_day")
BREAKDOWN_FIELDS = [f.name for f in DayBreakdown._meta.fields if f.name not in ("id", *LINKS)]
MONTH_FIELDS = ("dimension", "month", "key", "label", "orders", "units", "revenue", "discount")


def stored(store_id):
    return (
        [
            tuple(getattr(r, f if f != "store" else "store_id") for f in STORE_FIELDS)
            for r in StoreDay.objects.filter(store_id=store_id).order_by("day")
        ],
        [
            tuple(getattr(r, f if f != "store" else "store_id") for f in BREAKDOWN_FIELDS)
            for r in DayBreakdown.objects.filter(store_id=store_id).order_by("dimension", "day", "key")
        ],
        list(
            MonthBreakdown.objects.filter(store_id=store_id)
            .order_by("dimension", "month", "key")
            .values_list(*MONTH_FIELDS)
        ),
    )


def months_of(breakdown_rows):
    """The month rows the day rows add up to, summed here in Python: the label is the greatest."""
    months = {}
    for row in breakdown_rows:
        key = (row.dimension, row.day.replace(day=1), row.key)
        label, orders, units, revenue, discount = months.get(key, ("", 0, 0, 0, 0))
        months[key] = (
            max(label, row.label),
            orders + row.orders,
            units + row.units,
            revenue + row.revenue,
            discount + row.discount,
        )
    return [(*key, *figures) for key, figures in sorted(months.items())]


def first_purchases(store_id):
    rows = DayBreakdown.objects.filter(store_id=store_id, dimension=Dimension.CUSTOMER, first_purchase=True)
    return sorted(rows.values_list("key", "day"))


def previous_days(store_id):
    """Each stored customer row's previous day, and the one its customer's stored days say."""
    rows = DayBreakdown.objects.filter(store_id=store_id, dimension=Dimension.CUSTOMER).order_by("key", "day")
    stored_links, expected, before = [], [], {}
    for key, day, previous_day in rows.values_list("key", "day", "previous_day"):
        stored_links.append((key, day, previous_day))
        expected.append((key, day, before.get(key)))
        before[key] = day
    return stored_links, expected


def earliest_days(store_id):
    rows = DayBreakdown.objects.filter(store_id=store_id, dimension=Dimension.CUSTOMER)
    return sorted(rows.values("key").annotate(first=Min("day")).values_list("key", "first"))


def recomputed(store_id, first, last):
    store_rows, breakdown_rows = rollups_compute(store_id=store_id, first=first, last=last)
    return (
        [tuple(getattr(r, f if f != "store" else "store_id") for f in STORE_FIELDS) for r in store_rows],
        sorted(
            (
                tuple(getattr(r, f if f != "store" else "store_id") for f in BREAKDOWN_FIELDS)
                for r in breakdown_rows
            ),
            key=lambda row: (
                row[BREAKDOWN_FIELDS.index("dimension")],
                row[BREAKDOWN_FIELDS.index("day")],
                row[BREAKDOWN_FIELDS.index("key")],
            ),
        ),
        months_of(breakdown_rows),
    )


@pytest.mark.parametrize("seed", [7, 2025])
def test_rollups_equal_a_recomputation_after_random_changes(shop, other_shop, monnify, seed):
    rng = random.Random(seed)
    now = lagos(2025, 5, 31, 20, 0)
    phones = ["08031111111", "08032222222", "08033333333", "08034444444"]
    for target in (shop, other_shop):  # sales that fund the refunds to come
        target.pay(target.place((target.jollof, 3), at=now))
    for _step in range(36):
        # Time only moves forward, as it does for the catch-up's watermark.
        now += datetime.timedelta(minutes=rng.randint(20, 400))
        target = rng.choice([shop, other_shop])
        action = rng.choice(["place", "place", "pay", "pay_over", "cancel", "expire", "catch_up"])
        open_orders = list(Order.objects.filter(store=target.store, status=OrderStatus.PENDING))
        paid = list(Order.objects.filter(store=target.store, status=OrderStatus.CONFIRMED))
        with time_machine.travel(now, tick=False):
            if action == "place" or (action in ("pay", "pay_over", "expire") and not open_orders):
                target.place(
                    (target.jollof, rng.randint(1, 3)),
                    (target.tote, rng.randint(1, 2)),
                    phone=rng.choice(phones),
                    lga=rng.choice(["Ikeja", "Surulere"]),
                )
            elif action in ("pay", "pay_over"):
                order = rng.choice(open_orders)
                payment = open_payment(order=order)
                if action == "pay":
                    monnify.pay_full(payment.payment_reference)
                else:
                    monnify.pay_over(payment.payment_reference)
                payment_tasks.payments_requery_pending.delay()
            elif action == "cancel" and (paid or open_orders):
                # A paid order's refund needs the balance to cover it; when it does not, the
                # cancel is refused and nothing changes (also a sequence worth checking).
                with contextlib.suppress(InsufficientBalance):
                    order_cancel(order=rng.choice(paid or open_orders), note="Changed my mind")
            elif action == "expire":
                order_expire_payment(order=rng.choice(open_orders))
            elif action == "catch_up":
                rollups_catch_up()
    with time_machine.travel(now + datetime.timedelta(minutes=1), tick=False):
        rollups_catch_up()

    assert Order.objects.filter(payment_status=PaymentStatus.PAID).exists()
    assert Order.objects.filter(payment_status=PaymentStatus.EXPIRED).exists()
    assert Refund.objects.exists()
    for target in (shop, other_shop):
        first, last = datetime.date(2025, 5, 1), datetime.date(2025, 7, 31)
        assert stored(target.store.pk) == recomputed(target.store.pk, first, last)
        assert first_purchases(target.store.pk) == earliest_days(target.store.pk)
        links, expected = previous_days(target.store.pk)
        assert links == expected
    # The walk crossed a month end: both months have month rows, each its days added up.
    months = {row[1] for target in (shop, other_shop) for row in stored(target.store.pk)[2]}
    assert months == {datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)}
    # The rebuild command's code reproduces exactly what the catch-up kept.
    before = stored(shop.store.pk)
    with time_machine.travel(now + datetime.timedelta(minutes=2), tick=False):
        rollups_rebuild(store_id=shop.store.pk)
    assert stored(shop.store.pk) == before
    assert first_purchases(shop.store.pk) == earliest_days(shop.store.pk)
    assert previous_days(shop.store.pk)[0] == previous_days(shop.store.pk)[1]


def test_a_catch_up_with_nothing_new_writes_the_same_rows(shop):
    shop.pay(shop.place((shop.jollof, 1)))
    rollups_catch_up()
    before = stored(shop.store.pk)
    rollups_catch_up()
    assert stored(shop.store.pk) == before
    assert before[0][0][STORE_FIELDS.index("sales")] == 1
