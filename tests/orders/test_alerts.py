"""Merchant alerts: low stock and sold out once per crossing, channels per preference, the
daily summary once a day."""

from datetime import datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.errors import ServiceError
from config.money import naira_sms
from notifications.alerts import alert_daily_summaries_send, alert_settings_update
from notifications.models import AlertSettings, DeliveryLog, Notification
from orders.services import order_cancel, order_place
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

LAGOS = ZoneInfo("Africa/Lagos")


@pytest.fixture
def shop(merchant):
    return StoreFactory(user=merchant, username="ada-fabrics", display_name="Ada Fabrics")


@pytest.fixture
def buy(shop, shopper, django_capture_on_commit_callbacks):
    def buy(product, quantity):
        with django_capture_on_commit_callbacks(execute=True):
            return order_place(
                store=shop, customer=shopper, lines=[{"product_id": product.pk, "quantity": quantity}]
            )

    return buy


def stock_bells(merchant):
    return list(
        Notification.objects.filter(user=merchant, title__contains="stock")
        .union(Notification.objects.filter(user=merchant, title__contains="sold out"))
        .order_by("created_at")
        .values_list("title", flat=True)
    )


def test_low_stock_and_sold_out_alert_once_per_crossing(
    buy, shop, merchant, django_capture_on_commit_callbacks
):
    kaftan = ProductFactory(
        store=shop, name="Kaftan", price=D("5000.00"), stock_quantity=7, low_stock_threshold=5
    )

    buy(kaftan, 2)  # 7 → 5: crosses the threshold
    buy(kaftan, 1)  # 5 → 4: already low, nothing new
    assert stock_bells(merchant) == ["Kaftan is low on stock: 5 left"]
    last = buy(kaftan, 4)  # 4 → 0
    assert sorted(stock_bells(merchant)) == ["Kaftan is low on stock: 5 left", "Kaftan is sold out"]
    emails = DeliveryLog.objects.filter(template="stock_alert").order_by("created_at")
    assert [(log.channel, log.subject, log.recipient) for log in emails] == [
        ("email", "Kaftan is low on stock: 5 left", merchant.email),
        ("email", "Kaftan is sold out", merchant.email),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=last)  # 0 → 4: back above none, below the threshold
    buy(kaftan, 4)  # 4 → 0 again: a new crossing, a new alert
    assert DeliveryLog.objects.filter(template="stock_alert", subject="Kaftan is sold out").count() == 2


def test_untracked_stock_never_alerts(buy, shop, merchant):
    service = ProductFactory(store=shop, name="Tailoring", stock_quantity=None)
    buy(service, 3)
    assert stock_bells(merchant) == []


def test_alerts_follow_the_merchants_choices(buy, shop, merchant):
    alert_settings_update(
        user=merchant, channels={"new_order": ["sms"], "low_stock": []}, daily_summary=False
    )
    kaftan = ProductFactory(store=shop, name="Kaftan", stock_quantity=6, low_stock_threshold=5)
    order = buy(kaftan, 2)

    merchant_logs = DeliveryLog.objects.filter(user=merchant)
    assert list(merchant_logs.values_list("template", "channel")) == [("new_order", "sms")]
    assert merchant_logs.get().body_text == (
        f"Ada Fabrics: new order {order.order_number}, {naira_sms(order.total)} from Ada Obi. See your dashboard."
    )
    assert not Notification.objects.filter(user=merchant).exists()  # the bell is off for both


def test_unknown_choices_change_nothing(merchant):
    with pytest.raises(ServiceError) as error:
        alert_settings_update(user=merchant, channels={"new_order": ["fax"]}, daily_summary=True)
    assert error.value.message == "Alerts for new_order go to any of bell, email and sms."
    with pytest.raises(ServiceError):
        alert_settings_update(user=merchant, channels={"weather": ["bell"]}, daily_summary=True)
    assert AlertSettings.objects.count() == 0


def test_the_preferences_page_saves_choices(client, merchant):
    client.force_login(merchant)
    page = client.get("/dashboard/notifications/alerts/").content.decode()
    assert 'name="new_order:email" value="on" checked' in page
    response = client.post(
        "/dashboard/notifications/alerts/",
        {"new_order:bell": "on", "sold_out:sms": "on", "daily_summary": "on"},
    )
    assert response.status_code == 302
    row = AlertSettings.objects.get(user=merchant)
    assert row.daily_summary is True
    assert row.channels["new_order"] == ["bell"]
    assert row.channels["sold_out"] == ["sms"]
    assert row.channels["payment_received"] == []


def test_the_daily_summary_is_sent_once_a_day_after_seven(merchant):
    alert_settings_update(user=merchant, channels={}, daily_summary=True)
    with time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=LAGOS), tick=False):
        Notification.objects.create(user=merchant, title="New order AGM-1")
    with time_machine.travel(datetime(2026, 3, 2, 15, 20, tzinfo=LAGOS), tick=False):
        Notification.objects.create(user=merchant, title="Payment received for order AGM-1")
    with time_machine.travel(datetime(2026, 3, 3, 6, 30, tzinfo=LAGOS), tick=False):
        assert alert_daily_summaries_send() == 0
    for hour in (7, 8):
        with time_machine.travel(datetime(2026, 3, 3, hour, 5, tzinfo=LAGOS), tick=False):
            alert_daily_summaries_send()
    logs = DeliveryLog.objects.filter(template="daily_summary")
    assert list(logs.values_list("idempotency_key", "subject")) == [
        (f"daily-summary:{merchant.pk}:2026-03-02", "Your alerts of 2 March: 2")
    ]
    assert "- New order AGM-1\n- Payment received for order AGM-1" in logs.get().body_text
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=LAGOS) + timedelta(days=1), tick=False):
        assert alert_daily_summaries_send() == 0  # a day without alerts sends nothing


def test_alert_settings_through_the_api(merchant_api, merchant):
    body = merchant_api.get("/api/v1/notifications/alert-settings").json()["data"]
    assert body["channels"]["paymentReceived"] == ["bell", "email", "sms"]
    assert body["dailySummary"] is False
    response = merchant_api.put(
        "/api/v1/notifications/alert-settings",
        {"channels": {"low_stock": ["sms"]}, "dailySummary": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["data"]["channels"]["lowStock"] == ["sms"]
    refused = merchant_api.put(
        "/api/v1/notifications/alert-settings",
        {"channels": {"low_stock": ["fax"]}, "dailySummary": True},
        format="json",
    )
    assert refused.status_code == 400
    assert AlertSettings.objects.get(user=merchant).channels == {"low_stock": ["sms"]}
