"""Exact figures across Lagos midnight and a month end, for two merchants whose numbers never
mix, with the orders made through the real checkout, payment, expiry and cancel services."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from analytics import selectors
from analytics.models import Dimension
from analytics.periods import Period
from analytics.services import rollups_catch_up
from orders.models import OrderStatus
from orders.services import order_cancel, order_expire_payment
from tests.analytics.conftest import lagos

pytestmark = pytest.mark.django_db

MAR_31, APR_1, APR_2, APR_3 = (
    datetime.date(2025, 3, 31),
    datetime.date(2025, 4, 1),
    datetime.date(2025, 4, 2),
    datetime.date(2025, 4, 3),
)


def days(first, last=None):
    return Period("custom", first, last or first)


@pytest.fixture
def history(shop, other_shop):
    orders = {}
    orders["a"] = shop.pay(shop.place((shop.jollof, 2), at=lagos(2025, 3, 31, 23, 59, 59)))
    orders["b"] = shop.pay(
        shop.place((shop.tote, 1), phone="08039999999", name="Bola", at=lagos(2025, 4, 1, 0, 0, 0))
    )
    orders["c"] = shop.place((shop.tote, 3), at=lagos(2025, 4, 1, 10, 0))  # never paid
    orders["d"] = shop.place((shop.jollof, 1), at=lagos(2025, 4, 1, 11, 0))
    with time_machine.travel(lagos(2025, 4, 1, 12, 0), tick=False):
        order_expire_payment(order=orders["d"])
    orders["e"] = shop.pay(shop.place((shop.tote, 1), phone="08037777777", at=lagos(2025, 4, 1, 12, 0)))
    with time_machine.travel(lagos(2025, 4, 2, 9, 0), tick=False):
        order_cancel(order=orders["e"], note="Out of fabric")
    # The first customer comes back two days later.
    orders["f"] = shop.pay(shop.place((shop.jollof, 1), (shop.tote, 2), at=lagos(2025, 4, 3, 18, 30)))
    # The other merchant's shopper has the same phone number as the first customer.
    orders["x"] = other_shop.pay(other_shop.place((other_shop.jollof, 1), at=lagos(2025, 4, 1, 9, 0)))
    rollups_catch_up()
    for order in orders.values():
        order.refresh_from_db()
    return orders


def test_the_fee_and_totals_come_from_checkout(history):
    a, b, f = history["a"], history["b"], history["f"]
    assert (a.total, a.agm_fee) == (D("30000.00"), D("750.00"))
    assert (b.total, b.agm_fee) == (D("6500.50"), D("162.51"))
    assert (f.total, f.agm_fee) == (D("28001.00"), D("700.03"))
    assert history["d"].payment_status == "expired" and history["e"].status == OrderStatus.CANCELLED


def test_each_card_is_exact_for_a_day_either_side_of_midnight(shop, history):
    ids = [shop.store.pk]
    march = selectors.figures(store_ids=ids, period=days(MAR_31))
    assert (march.revenue, march.fees, march.net_revenue, march.sales, march.items_sold) == (
        D("30000.00"),
        D("750.00"),
        D("29250.00"),
        1,
        2,
    )
    april_1 = selectors.figures(store_ids=ids, period=days(APR_1))
    # b is the only sale: c is unpaid, d expired, e was cancelled (and refunded on the 2nd).
    assert (april_1.revenue, april_1.fees, april_1.sales, april_1.orders_placed) == (
        D("6500.50"),
        D("162.51"),
        1,
        4,
    )
    assert (april_1.cancelled, april_1.pending, april_1.items_sold, april_1.refunds) == (2, 1, 1, 0)
    assert (april_1.customers, april_1.new_customers, april_1.returning_customers) == (1, 1, 0)
    april_2 = selectors.figures(store_ids=ids, period=days(APR_2))
    assert (april_2.revenue, april_2.sales, april_2.refunds, april_2.refunded) == (
        D("0.00"),
        0,
        1,
        D("6500.50"),
    )


def test_a_period_over_the_month_end(shop, history):
    both = selectors.figures(store_ids=[shop.store.pk], period=days(MAR_31, APR_3))
    assert (both.revenue, both.sales, both.average_order_value) == (D("64501.50"), 3, D("21500.50"))
    assert (both.fees, both.net_revenue, both.items_sold) == (D("1612.54"), D("62888.96"), 6)
    assert (both.customers, both.returning_customers) == (2, 0)
    april = selectors.figures(store_ids=[shop.store.pk], period=days(APR_1, datetime.date(2025, 4, 30)))
    # The first customer bought in March: in April they are returning.
    assert (april.customers, april.new_customers, april.returning_customers) == (2, 1, 1)
    assert april.revenue == D("34501.50")
    assert selectors.percent_change(april.revenue, D("30000.00")) == D("15.0")


def test_the_chart_series_by_day_week_and_month(shop, history):
    ids = [shop.store.pk]
    series = selectors.series(store_ids=ids, period=days(datetime.date(2025, 3, 30), APR_3), group="day")
    assert [(p.start.day, p.revenue, p.orders) for p in series] == [
        (30, D("0.00"), 0),
        (31, D("30000.00"), 1),
        (1, D("6500.50"), 1),
        (2, D("0.00"), 0),
        (3, D("28001.00"), 1),
    ]
    assert [p.refunded for p in series] == [D("0.00"), D("0.00"), D("0.00"), D("6500.50"), D("0.00")]
    weeks = selectors.series(
        store_ids=ids, period=days(datetime.date(2025, 3, 24), datetime.date(2025, 4, 6)), group="week"
    )
    assert [(p.start, p.revenue) for p in weeks] == [
        (datetime.date(2025, 3, 24), D("0.00")),
        (datetime.date(2025, 3, 31), D("64501.50")),
    ]
    months = selectors.series(
        store_ids=ids, period=days(datetime.date(2025, 3, 1), datetime.date(2025, 4, 30)), group="month"
    )
    assert [(p.label, p.revenue, p.orders) for p in months] == [
        ("Mar 2025", D("30000.00"), 1),
        ("Apr 2025", D("34501.50"), 2),
    ]


def test_every_report_of_one_merchant(shop, history):
    period, ids = days(MAR_31, APR_3), [shop.store.pk]

    def report(dimension):
        rows = selectors.breakdown(store_ids=ids, period=period, dimension=dimension)
        return [(row["label"], row["orders"], row["units"], row["revenue"]) for row in rows]

    assert report(Dimension.PRODUCT) == [
        ("Jollof Pack", 2, 3, D("45000.00")),
        ("Ankara Tote", 2, 3, D("19501.50")),
    ]
    assert report(Dimension.CATEGORY) == [("Food", 2, 3, D("45000.00")), ("Fashion", 2, 3, D("19501.50"))]
    assert report(Dimension.STATE) == [("Lagos", 3, 0, D("64501.50"))]
    assert report(Dimension.LGA) == [("Ikeja, Lagos", 3, 0, D("64501.50"))]
    assert report(Dimension.METHOD) == [("Bank transfer", 3, 0, D("64501.50"))]
    assert report(Dimension.CUSTOMER) == [("Ada Obi", 2, 0, D("58001.00")), ("Bola", 1, 0, D("6500.50"))]
    assert report(Dimension.COUPON) == []
    summary = selectors.customers_summary(store_ids=ids, period=period)
    assert (summary.customers, summary.returning, summary.repeat, summary.repeat_rate) == (2, 0, 1, D("50.0"))
    statuses = selectors.status_counts(store_ids=ids, period=period)
    assert {k: v["orders"] for k, v in statuses.items() if v["orders"]} == {
        "confirmed": 3,
        "pending": 1,
        "cancelled": 2,
    }


def test_long_periods_read_whole_months_and_the_days_around_them(shop, history):
    """A period made of whole months (read from the month rollups), of whole months and
    partial ones (months and days together) or of days alone gives the same exact figures."""
    ids = [shop.store.pk]
    products = [("Jollof Pack", 2, 3, D("45000.00")), ("Ankara Tote", 2, 3, D("19501.50"))]
    customers = [("Ada Obi", 2, 0, D("58001.00")), ("Bola", 1, 0, D("6500.50"))]
    for first, last in (
        (datetime.date(2025, 3, 1), datetime.date(2025, 4, 30)),  # two whole months
        (MAR_31, datetime.date(2025, 5, 15)),  # a day, a whole month and half a month
        (datetime.date(2025, 2, 20), APR_3),  # days, a whole month, days
        (MAR_31, APR_3),  # days only
    ):
        period = days(first, last)

        def report(dimension, period=period, **options):
            rows = selectors.breakdown(store_ids=ids, period=period, dimension=dimension, **options)
            return [(row["label"], row["orders"], row["units"], row["revenue"]) for row in rows]

        assert report(Dimension.PRODUCT) == products, (first, last)
        assert report(Dimension.PRODUCT, limit=1) == products[:1]
        assert report(Dimension.CUSTOMER) == customers
        assert report(Dimension.STATE) == [("Lagos", 3, 0, D("64501.50"))]
        summary = selectors.customers_summary(store_ids=ids, period=period)
        assert (summary.customers, summary.returning, summary.repeat) == (2, 0, 1)
        statuses = selectors.status_counts(store_ids=ids, period=period)
        assert {k: (v["orders"], v["total"]) for k, v in statuses.items() if v["orders"]} == {
            "confirmed": (3, D("64501.50")),
            "pending": (1, D("19501.50")),  # three totes, never paid
            "cancelled": (2, D("21500.50")),  # the expired jollof and the cancelled tote
        }
    # A period that starts after a month's sales and ends before the next month's counts none
    # of either.
    assert (
        selectors.breakdown(
            store_ids=ids,
            period=days(APR_3 + datetime.timedelta(days=1), datetime.date(2025, 5, 31)),
            dimension=Dimension.PRODUCT,
        )
        == []
    )
    ranked = selectors.top_products(
        store_ids=ids, period=days(datetime.date(2025, 4, 1), datetime.date(2025, 4, 30))
    )
    # Lifetime orders come from every month row: the March 31 order counts too.
    assert [(row["label"], row["lifetime_orders"]) for row in ranked] == [
        ("Ankara Tote", 2),
        ("Jollof Pack", 2),
    ]


def test_a_new_customer_who_buys_twice_on_their_first_day_repeats(shop):
    shop.pay(shop.place((shop.jollof, 1), at=lagos(2025, 4, 1, 9, 0)))
    shop.pay(shop.place((shop.tote, 1), at=lagos(2025, 4, 1, 15, 0)))
    shop.pay(shop.place((shop.tote, 1), phone="08039999999", name="Bola", at=lagos(2025, 4, 1, 10, 0)))
    # A third customer's second purchase falls after the period: not a repeat within it.
    shop.pay(shop.place((shop.tote, 1), phone="08035555555", name="Chi", at=lagos(2025, 4, 1, 11, 0)))
    shop.pay(shop.place((shop.tote, 1), phone="08035555555", name="Chi", at=lagos(2025, 5, 2, 11, 0)))
    rollups_catch_up()
    for period in (days(APR_1), days(APR_1, datetime.date(2025, 4, 30))):
        summary = selectors.customers_summary(store_ids=[shop.store.pk], period=period)
        assert (summary.customers, summary.returning, summary.repeat) == (3, 0, 1)
    # Over April and May, Chi bought twice too.
    summary = selectors.customers_summary(
        store_ids=[shop.store.pk], period=days(APR_1, datetime.date(2025, 5, 31))
    )
    assert (summary.customers, summary.returning, summary.repeat) == (3, 0, 2)
    # In May alone Chi is a returning customer.
    summary = selectors.customers_summary(
        store_ids=[shop.store.pk], period=days(datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
    )
    assert (summary.customers, summary.returning, summary.repeat) == (1, 1, 1)


def test_two_merchants_never_mix(shop, other_shop, history):
    period = days(MAR_31, APR_3)
    theirs = selectors.figures(store_ids=[other_shop.store.pk], period=period)
    assert (theirs.revenue, theirs.sales, theirs.customers, theirs.new_customers) == (D("15000.00"), 1, 1, 1)
    rows = list(
        selectors.breakdown(store_ids=[other_shop.store.pk], period=period, dimension=Dimension.PRODUCT)
    )
    assert [(row["key"], row["revenue"]) for row in rows] == [(other_shop.jollof.pk, D("15000.00"))]
    mine = selectors.figures(store_ids=[shop.store.pk], period=period)
    assert mine.revenue == D("64501.50")
    assert selectors.attention(user=shop.merchant, store_ids=[shop.store.pk]).pending == 1
    assert selectors.attention(user=other_shop.merchant, store_ids=[other_shop.store.pk]).pending == 0
