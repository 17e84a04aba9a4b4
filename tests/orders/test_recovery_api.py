"""The recovery API: settings and figures for the merchant, capture and unsubscribe for a
headless storefront."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from orders import recovery_links, tasks
from orders.models import AbandonedCheckout, RecoveryMessage, RecoveryOptOut, RecoverySettings
from orders.services import order_mark_paid, order_place, recovery_settings_update
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_the_merchant_reads_and_changes_recovery_settings(merchant_api, other_merchant_api, store):
    url = f"/api/v1/orders/recovery/settings/{store.pk}"
    body = merchant_api.get(url).json()
    assert body["data"] == {
        "unpaidReminders": 1,
        "unpaidDelayMinutes": 30,
        "expiredMessage": True,
        "abandonedCheckouts": False,
        "abandonedReminders": 1,
        "abandonedDelayMinutes": 60,
    }
    changed = merchant_api.patch(url, {"unpaidDelayMinutes": 20, "abandonedCheckouts": True}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["data"]["unpaidDelayMinutes"], changed.json()["data"]["abandonedCheckouts"]) == (
        20,
        True,
    )

    refused = merchant_api.patch(url, {"unpaidDelayMinutes": 50}, format="json")
    assert refused.status_code == 400
    assert RecoverySettings.objects.get(store=store).unpaid_delay_minutes == 20
    assert other_merchant_api.get(url).status_code == 404
    assert other_merchant_api.patch(url, {"unpaidReminders": 0}, format="json").status_code == 404
    assert RecoverySettings.objects.get(store=store).unpaid_reminders == 1


def test_the_summary_counts_a_reminded_order_paid_afterwards(
    merchant_api, other_merchant_api, store, shopper, django_capture_on_commit_callbacks
):
    product = ProductFactory(store=store, price=D("7500.50"), stock_quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 2}])
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.recovery_run()
    order_mark_paid(order_id=order.pk)

    # The reminder was written 31 minutes ahead (the clock was moved): the range covers it.
    until = (timezone.now() + timedelta(hours=1)).isoformat()
    body = merchant_api.get("/api/v1/orders/recovery/summary", {"until": until}).json()
    assert body["data"] == {
        "messagesSent": 1,
        "messagesByKind": {"unpaid": 1, "expired": 0, "abandoned": 0},
        "ordersRecovered": 1,
        "revenueRecovered": str(order.total),
    }
    assert other_merchant_api.get("/api/v1/orders/recovery/summary").json()["data"]["ordersRecovered"] == 0
    assert merchant_api.get("/api/v1/orders/recovery/summary?since=yesterday").status_code == 400


def test_a_headless_storefront_captures_a_checkout_with_consent(api_client, store):
    product = ProductFactory(store=store, stock_quantity=3)
    url = f"/api/v1/orders/checkouts/{store.username}"
    item = {"productId": product.pk, "quantity": 1}
    off = api_client.post(url, {"phone": "08031234567", "consent": True, "items": [item]}, format="json")
    assert off.json()["data"]["token"] is None  # the store does not collect checkouts
    recovery_settings_update(store=store, abandoned_checkouts=True)

    no_consent = api_client.post(
        url, {"phone": "08031234567", "consent": False, "items": [item]}, format="json"
    )
    assert no_consent.json()["data"]["token"] is None
    assert AbandonedCheckout.objects.count() == 0
    kept = api_client.post(url, {"phone": "08031234567", "consent": True, "items": [item]}, format="json")
    token = kept.json()["data"]["token"]
    assert AbandonedCheckout.objects.get().token == token
    assert api_client.post(url, {"consent": True, "items": "x"}, format="json").status_code == 400
    assert (
        api_client.post(
            "/api/v1/orders/checkouts/no-such-store", {"consent": True, "items": []}, format="json"
        ).status_code
        == 404
    )


def test_unsubscribe_through_the_api(api_client, store, shopper, django_capture_on_commit_callbacks):
    product = ProductFactory(store=store, stock_quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 1}])
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.recovery_run()
    message = RecoveryMessage.objects.get()
    bad = api_client.post("/api/v1/orders/recovery/unsubscribe", {"token": "1.e:nope"}, format="json")
    assert bad.status_code == 404
    assert RecoveryOptOut.objects.count() == 0
    token = recovery_links.opt_out_token(message.pk, "sms")
    done = api_client.post("/api/v1/orders/recovery/unsubscribe", {"token": token}, format="json")
    assert done.status_code == 200
    assert list(RecoveryOptOut.objects.values_list("address", flat=True)) == ["+2348031234567"]
