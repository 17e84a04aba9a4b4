"""Selling through outages (issue 12, finding 1 and "Monnify down"): with Redis (cache and broker)
on a closed port and Monnify stopped, a real gunicorn keeps serving shoppers and merchants, sign-in
refuses with a clear 503, the webhook answers at once; nothing asked for meanwhile is lost, and
once Redis and then Monnify are back the order gets its account and its messages, and the paid
payment is applied once, without anyone pressing anything."""

import time
from decimal import Decimal

import pytest
import requests
from django.core import mail
from django.test import Client

from notifications.models import DeliveryLog, DeliveryStatus
from orders.models import Order, OrderStatus, PaymentStatus
from outbox.models import OutboxMessage
from outbox.tasks import outbox_relay
from payments import tasks
from payments.models import LedgerEntry, MonnifyWebhookEvent, Payment
from tests.factories import OrderFactory, ProductFactory, api_order_body
from tests.payments.helpers import open_payment
from tests.processes import app_env, closed_port_url, gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "A-long-enough-passw0rd"


@pytest.fixture
def shop(store):
    return ProductFactory(store=store, price=Decimal("7500.00"), stock_quantity=5, name="Ankara tote")


def test_redis_and_monnify_down_then_back(store, shop, monnify, tmp_path):
    merchant = store.user
    merchant.set_password(PASSWORD)
    merchant.save()
    # A payment opened before the outage, that the shopper pays during it.
    earlier = open_payment(order=OrderFactory(store=store, total=Decimal("5000.00")))
    monnify.pay_full(earlier.payment_reference)
    body, headers = monnify.webhook_request(monnify.transaction_event(earlier.payment_reference))
    session = Client()
    session.force_login(merchant)  # a merchant signed in before the outage (sessions: MariaDB)
    monnify.stop()

    down = closed_port_url()
    env = app_env(
        REDIS_URL=down,
        CELERY_BROKER_URL=down,
        CELERY_RESULT_BACKEND=down,
        CELERY_TASK_ALWAYS_EAGER="false",
        MONNIFY_BASE_URL=monnify.url,
        MONNIFY_API_KEY=monnify.api_key,
        MONNIFY_SECRET_KEY=monnify.secret_key,
        MONNIFY_CONTRACT_CODE=monnify.contract_code,
        MONNIFY_WALLET_ACCOUNT_NUMBER=monnify.wallet_account_number,
    )
    log = tmp_path / "gunicorn.log"
    with gunicorn(env=env, log=log) as url:
        pages = [
            requests.get(f"{url}/{store.username}", timeout=10),
            requests.get(f"{url}/{store.username}/p/{shop.pk}", timeout=10),
            requests.get(
                f"{url}/dashboard/", cookies={"sessionid": session.cookies["sessionid"].value}, timeout=10
            ),
        ]
        assert [page.status_code for page in pages] == [200, 200, 200]
        assert "Ankara tote" in pages[1].text
        # the merchant's own dashboard home: its recent orders list the one opened before the outage
        assert earlier.order.order_number in pages[2].text

        login = requests.post(
            f"{url}/api/v1/auth/login", json={"email": merchant.email, "password": PASSWORD}, timeout=10
        )
        assert (login.status_code, login.headers["Retry-After"]) == (503, "60")
        assert login.json()["error"]["code"] == "temporarily_unavailable"
        assert (
            login.json()["message"] == "We cannot check this safely right now. Please try again in a minute."
        )

        placed = requests.post(f"{url}/api/v1/orders", json=api_order_body(store, shop), timeout=20)
        assert placed.status_code == 201, placed.text

        started = time.monotonic()
        webhook = requests.post(f"{url}/api/v1/webhooks/monnify", data=body, headers=headers, timeout=20)
        webhook_seconds = time.monotonic() - started
        assert webhook.status_code == 200
        assert webhook_seconds < 2

        health = requests.get(f"{url}/api/v1/health", timeout=20)
        assert health.status_code == 200
        assert health.json()["message"] == "Degraded: cache, broker, monnify"
        assert health.json()["data"] == {
            "database": "ok",
            "cache": "down",
            "broker": "down",
            "monnify": "down",
        }
    warnings = log.read_text(errors="replace").count("cache: Redis is unavailable")
    assert warnings == 1  # once per process and minute, not per request

    order = Order.objects.exclude(pk=earlier.order_id).get(store=store)
    payment = Payment.objects.get(order=order)
    assert (order.status, payment.status, payment.account_number) == (OrderStatus.PENDING, "pending", None)
    waiting = sorted(OutboxMessage.objects.filter(sent_at__isnull=True).values_list("task", flat=True))
    assert waiting == [
        "notifications.tasks.deliver",
        "notifications.tasks.deliver",
        "notifications.tasks.deliver",
        "payments.tasks.monnify_event_process",
        "payments.tasks.payment_open",
    ]
    # The first publish failed at once; for a few seconds after, requests did not even try.
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    tried = unsent.filter(attempts=1)
    assert tried.exists() and not unsent.filter(attempts__gt=1).exists()
    assert {message.last_error for message in tried} == {
        f"Error 111 connecting to 127.0.0.1:{down.rsplit(':', 1)[1].split('/')[0]}. Connection refused."
    }
    assert MonnifyWebhookEvent.objects.get().status == "received"

    # Redis is back (this process's settings), Monnify is not yet: the relay publishes all of it.
    assert outbox_relay() == 5
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    payment.refresh_from_db()
    assert payment.account_number is None
    assert "could not be reached" in payment.metadata["start_error"]["message"]
    assert MonnifyWebhookEvent.objects.get().status == "unverified"
    assert DeliveryLog.objects.filter(status=DeliveryStatus.SENT).count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted([merchant.email, "ada@example.com"])

    # Monnify is back: the periodic re-query opens the account and applies the paid event, once.
    monnify.start()
    tasks.payments_requery_pending.delay()
    payment.refresh_from_db()
    assert len(payment.account_number) == 10
    earlier.refresh_from_db()
    assert earlier.status == PaymentStatus.PAID
    assert MonnifyWebhookEvent.objects.get().status == "processed"
    assert LedgerEntry.objects.filter(payment=earlier).count() == 1
    tasks.payments_requery_pending.delay()
    assert LedgerEntry.objects.filter(payment=earlier).count() == 1


def test_a_shopper_who_waits_gets_the_account_when_monnify_returns(store, shop, monnify, client, api_client):
    """Monnify down at checkout: the order stays pending with "Try again", the page keeps
    checking, and the periodic re-query opens the account without the shopper pressing it."""
    monnify.stop()
    placed = api_client.post("/api/v1/orders", api_order_body(store, shop), format="json")
    assert placed.status_code == 201
    payment = Payment.objects.get(order__store=store)
    page = client.get(f"/{store.username}/pay/{payment.payment_reference}")
    assert "We could not reach the payment provider" in page.content.decode()
    assert "Try again" in page.content.decode()
    assert 'hx-trigger="every 15s"' in page.content.decode()

    monnify.start()
    tasks.payments_requery_pending.delay()

    page = client.get(f"/{store.username}/pay/{payment.payment_reference}")
    payment.refresh_from_db()
    assert payment.account_number and payment.account_number in page.content.decode()
    assert Payment.objects.filter(order__store=store).count() == 1
