"""The dashboard home and API show what recovery reminders won back in the period: orders paid
after an unpaid-order reminder, never one paid before it, for each merchant on their own."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from analytics import selectors
from analytics.periods import Period
from analytics.services import rollups_catch_up
from orders import tasks as order_tasks
from orders.models import RecoveryMessage
from tests.analytics.conftest import lagos
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db

APR_1, APR_2 = datetime.date(2025, 4, 1), datetime.date(2025, 4, 2)
# After the default 30-minute delay, before the transfer account (40 minutes) expires.
REMINDER = datetime.timedelta(minutes=31)
PAID = datetime.timedelta(minutes=35)


def placed(shop, *lines, phone, at):
    """An order placed at `at` with its transfer account opened, as checkout leaves it."""
    order = shop.place(*lines, phone=phone, at=at)
    with time_machine.travel(at, tick=False):
        open_payment(order=order)
    return order


def remind(at):
    """The recovery beat task, run at `at`; the number of reminders it sent."""
    with time_machine.travel(at, tick=False):
        return order_tasks.recovery_run()


@pytest.fixture
def recoveries(shop, other_shop):
    morning, night = lagos(2025, 4, 1, 10, 0), lagos(2025, 4, 1, 23, 30)
    reminded = placed(shop, (shop.jollof, 2), phone="08030000001", at=morning)  # ₦30,000
    early = placed(shop, (shop.tote, 1), phone="08030000002", at=morning)  # ₦6,500.50
    shop.pay(early, after=datetime.timedelta(minutes=5))  # paid before its reminder was due
    other = placed(other_shop, (other_shop.tote, 2), phone="08030000003", at=morning)  # ₦13,001
    late = placed(shop, (shop.tote, 3), phone="08030000004", at=night)  # ₦19,501.50
    assert remind(morning + REMINDER) == 2  # `reminded` and `other`: `early` is paid
    assert remind(night + REMINDER) == 1  # `late`
    for store, order in ((shop, reminded), (other_shop, other), (shop, late)):
        store.pay(order, after=PAID)  # `late` at 00:05 on 2 April, Lagos time
    rollups_catch_up()
    return {"reminded": reminded, "early": early, "other": other, "late": late}


def test_an_order_paid_after_its_reminder_counts_one_paid_before_does_not(recoveries, shop, other_shop):
    assert set(RecoveryMessage.objects.values_list("order_id", flat=True)) == {
        recoveries["reminded"].pk,
        recoveries["other"].pk,
        recoveries["late"].pk,
    }
    mine = [shop.store.pk]
    assert selectors.recovered(store_ids=mine, period=Period("custom", APR_1, APR_1)) == selectors.Recovered(
        orders=1, revenue=D("30000.00")
    )
    # Counted on the Lagos day it was paid, not the day it was placed.
    assert selectors.recovered(store_ids=mine, period=Period("custom", APR_2, APR_2)) == selectors.Recovered(
        orders=1, revenue=D("19501.50")
    )
    assert selectors.recovered(store_ids=mine, period=Period("custom", APR_1, APR_2)) == selectors.Recovered(
        orders=2, revenue=D("49501.50")
    )
    theirs = [other_shop.store.pk]
    assert selectors.recovered(
        store_ids=theirs, period=Period("custom", APR_1, APR_2)
    ) == selectors.Recovered(orders=1, revenue=D("13001.00"))


def test_the_home_and_the_api_show_it_for_each_merchant_alone(
    client, merchant, merchant_api, other_merchant_api, recoveries, shop
):
    client.force_login(merchant)
    query = "period=custom&date_from=2025-04-01&date_to=2025-04-02"
    text = client.get(f"/dashboard/?{query}").content.decode()
    assert 'stat__value">2 orders, ₦49,501.50</p>' in text
    assert f'href="/dashboard/orders/recovery?store={shop.store.pk}">Recovery messages</a>' in text

    api = "/api/v1/analytics/dashboard?period=custom&from=2025-04-01&to=2025-04-02"
    data = merchant_api.get(api).json()["data"]
    assert (data["recoveredOrders"], data["recoveredRevenue"]) == (2, "49501.50")
    data = merchant_api.get(api.replace("to=2025-04-02", "to=2025-04-01")).json()["data"]
    assert (data["recoveredOrders"], data["recoveredRevenue"]) == (1, "30000.00")
    data = other_merchant_api.get(api).json()["data"]
    assert (data["recoveredOrders"], data["recoveredRevenue"]) == (1, "13001.00")


def test_nothing_recovered_reads_as_zero(client, merchant, merchant_api, shop):
    shop.pay(shop.place((shop.jollof, 1), at=lagos(2025, 4, 1, 10, 0)))
    rollups_catch_up()
    client.force_login(merchant)
    text = client.get("/dashboard/?period=custom&date_from=2025-04-01&date_to=2025-04-01").content.decode()
    assert 'stat__value">0 orders, ₦0</p>' in text
    data = merchant_api.get("/api/v1/analytics/dashboard?period=custom&from=2025-04-01&to=2025-04-01").json()
    assert (data["data"]["recoveredOrders"], data["data"]["recoveredRevenue"]) == (0, "0.00")
