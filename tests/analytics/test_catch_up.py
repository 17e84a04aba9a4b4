"""The catch-up follows every writer of the shared tables, and the rebuild command."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from analytics import selectors
from analytics.models import StoreDay, Watermark
from analytics.periods import Period, lagos_day
from analytics.services import rollups_catch_up
from tests.analytics.conftest import lagos

pytestmark = pytest.mark.django_db


def test_a_change_written_by_another_backend_is_caught_up(shop):
    order = shop.pay(shop.place((shop.jollof, 1)))
    rollups_catch_up()
    day = lagos_day(order.created_at)
    assert StoreDay.objects.get(store=shop.store, day=day).revenue == D("15000.00")
    # The Node.js backend cancels with plain SQL: ON UPDATE CURRENT_TIMESTAMP moves updated_at.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orders SET status = 'cancelled' WHERE id = %s", [order.pk])
    rollups_catch_up()
    row = StoreDay.objects.get(store=shop.store, day=day)
    assert (row.sales, row.revenue, row.cancelled) == (0, D("0.00"), 1)
    assert Watermark.objects.get().reached_at is not None


def test_the_rebuild_command_reproduces_the_rollups(shop, other_shop):
    shop.pay(shop.place((shop.jollof, 2)))
    other_shop.pay(other_shop.place((other_shop.tote, 1)))
    StoreDay.objects.all().delete()
    out = StringIO()
    call_command("analytics_rebuild", "--store", shop.store.username, stdout=out)
    assert "Rebuilt" in out.getvalue() and "chunks" in out.getvalue()
    assert list(StoreDay.objects.values_list("store_id", "revenue")) == [(shop.store.pk, D("30000.00"))]
    today = lagos_day(datetime.datetime.now(datetime.UTC))
    call_command("analytics_rebuild", "--since", today.isoformat(), stdout=StringIO())
    figures = selectors.figures(store_ids=[other_shop.store.pk], period=Period("today", today, today))
    assert figures.revenue == D("6500.50")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--store", "nobody"], "No store with the id or username 'nobody'."),
        (["--since", "May"], "--since must be a date"),
    ],
)
def test_the_rebuild_command_refuses_bad_arguments(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("analytics_rebuild", *arguments, stdout=StringIO())
    assert not StoreDay.objects.exists()


def test_the_home_shows_the_running_balance_before_and_after_a_catch_up(client, shop):
    """The balance is the ledger's running figure, not a rollup: it is current even before the
    catch-up has read the latest payment."""
    shop.pay(shop.place((shop.jollof, 2), at=lagos(2025, 3, 31, 23, 59, 59)))
    rollups_catch_up()
    shop.pay(shop.place((shop.tote, 1)))  # booked after the catch-up
    client.force_login(shop.merchant)
    text = client.get("/dashboard/").content.decode()
    assert '<p class="stat__value">₦35,587.99</p>' in text  # 29,250 + 6,337.99 net of fees
