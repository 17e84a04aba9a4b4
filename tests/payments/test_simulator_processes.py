"""The built-in simulator as a shared service (issue 12, finding 2): two gunicorn workers, a
separate Celery worker and beat, on MariaDB and Redis. A shopper checks out and pays through the
simulator's "Simulate transfer" button; the order is confirmed once, whichever process opened the
account, answered the button, received the webhook or re-queried Monnify."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from orders.models import Order, OrderStatus, PaymentStatus
from outbox.models import OutboxMessage
from payments.models import LedgerEntry, MonnifyWebhookEvent, Payment
from tests.factories import ProductFactory, api_order_body
from tests.processes import BIN, app_env, free_port, gunicorn, started
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_two_web_processes_a_worker_and_beat_confirm_a_simulated_payment_once(store, tmp_path: Path):
    product = ProductFactory(store=store, price=Decimal("4200.00"), stock_quantity=3)
    port = free_port()
    env = app_env(
        CELERY_TASK_ALWAYS_EAGER="false",
        MONNIFY_API_KEY="",
        MONNIFY_SIMULATOR="true",
        APP_URL=f"http://127.0.0.1:{port}",
    )
    worker = [str(BIN / "celery"), "-A", "config", "worker", "-P", "solo", "--loglevel=INFO"]
    beat = [
        str(BIN / "celery"),
        "-A",
        "config",
        "beat",
        "--loglevel=INFO",
        "--schedule",
        str(tmp_path / "beat-schedule"),
    ]
    with (
        started(worker, env=env, log=tmp_path / "worker.log"),
        started(beat, env=env, log=tmp_path / "beat.log"),
        gunicorn(env=env, log=tmp_path / "web.log", workers=2, port=port) as url,
    ):
        web = requests.Session()
        placed = web.post(
            f"{url}/api/v1/orders",
            json=api_order_body(store, product),
            timeout=20,
        )
        assert placed.status_code == 201, placed.text
        order = Order.objects.get(store=store)
        payment = Payment.objects.get(order=order)

        def logs():
            return "\n".join(
                f"--- {name}\n" + (tmp_path / name).read_text(errors="replace")
                for name in ("web.log", "worker.log", "beat.log")
            )

        # The worker opens the account (payment_open through the outbox and the broker).
        wait_until(
            lambda: Payment.objects.get(pk=payment.pk).account_number,
            timeout=60,
            interval=0.2,
            message=lambda: "no account was opened\n" + logs(),
        )
        page_url = f"{url}/{store.username}/pay/{payment.payment_reference}"
        # Each web process serves the page from the state the worker wrote (several tries
        # land on both workers).
        pages = [web.get(page_url, timeout=10) for _ in range(4)]
        account = Payment.objects.get(pk=payment.pk).account_number
        assert all(page.status_code == 200 and account in page.text for page in pages)

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pages[-1].text).group(1)
        simulate = [
            web.post(
                f"{page_url}/simulate",
                data={"csrfmiddlewaretoken": token},
                headers={"Referer": page_url},
                allow_redirects=False,
                timeout=20,
            )
            for _ in range(4)  # pressed again and again, on both workers: no KeyError, no 500
        ]
        assert [answer.status_code for answer in simulate] == [302] * 4

        wait_until(
            lambda: MonnifyWebhookEvent.objects.filter(status="processed").exists(),
            timeout=60,
            interval=0.2,
            message=lambda: "the webhook was not processed\n" + logs(),
        )

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status, order.payment_status) == (
        PaymentStatus.PAID,
        OrderStatus.CONFIRMED,
        PaymentStatus.PAID,
    )
    assert LedgerEntry.objects.filter(payment=payment).count() == 1
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
