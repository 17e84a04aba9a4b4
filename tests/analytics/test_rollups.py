import datetime
from decimal import Decimal as D

import pytest

from analytics import selectors
from analytics.models import StoreDay
from analytics.periods import Period
from analytics.services import rollups_catch_up
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
