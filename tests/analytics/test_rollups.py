import datetime
from decimal import Decimal as D

import pytest

from analytics import selectors
from analytics.models import DayBreakdown, Dimension, StoreDay
from analytics.periods import Period
from analytics.services import rollups_catch_up
from orders.services import order_cancel
from tests.analytics.conftest import lagos

pytestmark = pytest.mark.django_db


def test_a_paid_order_counts_on_its_lagos_day(shop):
    late = shop.pay(shop.place((shop.jollof, 2), at=lagos(2025, 3, 31, 23, 59, 59)))
    early = shop.pay(shop.place((shop.tote, 1), phone="08039999999", at=lagos(2025, 4, 1, 0, 0, 0)))
    shop.place((shop.tote, 3), at=lagos(2025, 4, 1, 8, 0))  # never paid
    rollups_catch_up()

    days = {row.day: row for row in StoreDay.objects.filter(store=shop.store)}
    assert sorted(days) == [datetime.date(2025, 3, 31), datetime.date(2025, 4, 1)]
    march, april = days[datetime.date(2025, 3, 31)], days[datetime.date(2025, 4, 1)]
    assert (march.sales, march.revenue, march.fees, march.items_sold) == (1, late.total, late.agm_fee, 2)
    assert (april.orders_placed, april.sales, april.revenue, april.items_sold) == (2, 1, early.total, 1)
    figures = selectors.figures(
        store_ids=[shop.store.pk],
        period=Period("custom", datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
    )
    assert figures.revenue == D("30000.00") == late.total
    assert figures.customers == 1


def test_a_customers_rows_link_to_their_previous_sale_and_follow_a_cancellation(shop):
    days = [datetime.date(2025, 4, d) for d in (1, 3, 5)]
    first, middle, last = (
        shop.pay(shop.place((shop.tote, 1), at=lagos(2025, 4, d, 12, 0))) for d in (1, 3, 5)
    )
    rollups_catch_up()

    def links():
        rows = DayBreakdown.objects.filter(store=shop.store, dimension=Dimension.CUSTOMER).order_by("day")
        return list(rows.values_list("day", "previous_day", "first_purchase"))

    def customers(first_day, last_day):
        figures = selectors.figures(store_ids=[shop.store.pk], period=Period("custom", first_day, last_day))
        return figures.customers, figures.new_customers

    assert links() == [(days[0], None, True), (days[1], days[0], False), (days[2], days[1], False)]
    assert customers(days[0], days[2]) == (1, 1)
    assert customers(days[1], days[2]) == (1, 0)  # one returning customer, counted once
    order_cancel(order=middle, note="Changed my mind")
    rollups_catch_up()
    assert links() == [(days[0], None, True), (days[2], days[0], False)]
    order_cancel(order=first, note="Changed my mind")
    rollups_catch_up()
    assert links() == [(days[2], None, True)]  # the 5 April sale is now the first
    assert customers(days[0], days[2]) == customers(days[2], days[2]) == (1, 1)
    assert last.payment_status == "paid"
