"""The production topology on one machine: two gunicorn servers (one with two workers), a Celery
worker, MariaDB and Redis, no eager tasks.

A shopper fills a cart and checks out on web 1; the merchant signs in on web 1, finds and
confirms the order on web 2 with the same session; the worker opens the payment and sends the
shopper's messages, and its log lines carry the id of the checkout request. One scrape of web 1's
/metrics adds up every process: both servers' workers and the Celery worker.
"""

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from notifications.models import DeliveryLog, DeliveryStatus
from orders.models import Order, OrderEvent, OrderStatus
from payments.models import Payment
from tests.factories import DEFAULT_PASSWORD, ProductFactory, StoreFactory, UserFactory
from tests.processes import BIN, app_env, free_port
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600), pytest.mark.django_db(transaction=True)]

TOKEN = "metrics-token-for-the-process-test-0123456789"
CHECKOUT_REQUEST_ID = "shopper-checkout-0001"


class Process:
    """A process this test started, its output in a file, stopped by its own pid."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        with log.open("wb") as output:
            self.popen = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def json_lines(self) -> list[dict]:
        lines = []
        for line in self.output().splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line interleaved with another process's output
        return lines

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


class Web(Process):
    def __init__(self, name: str, env: dict, log: Path, *, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            name,
            [
                str(BIN / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "config.wsgi:application",
            ],
            env,
            log,
        )

    def wait_ready(self):
        def answers():
            assert self.popen.poll() is None, f"{self.name} exited:\n{self.output()}"
            try:
                # A worker loads Django on its first request: slow on a busy machine.
                return requests.get(f"{self.url}/robots.txt", timeout=15).status_code == 200
            except requests.RequestException:
                return False

        wait_until(
            answers,
            timeout=180,
            interval=0.2,
            message=lambda: f"{self.name} never answered:\n{self.output()}",
        )


@pytest.fixture
def topology(transactional_db, tmp_path):
    metrics_root = tmp_path / "metrics"
    base = app_env(
        CELERY_TASK_ALWAYS_EAGER="false",
        METRICS_TOKEN=TOKEN,
        METRICS_MULTIPROC_ROOT=str(metrics_root),
        TEST_LOG_LEVEL="INFO",
        TEST_SESSION_ENGINE="config.sessions",  # the opt-in engine: Redis, written through to MariaDB
        LOG_FORMAT="json",
    )

    def group(name: str) -> dict:
        # One directory per process group: process ids are unique within a machine, not a fleet.
        directory = metrics_root / name
        directory.mkdir(parents=True, exist_ok=True)
        return {**base, "PROMETHEUS_MULTIPROC_DIR": str(directory)}

    started = []
    try:
        web1 = Web("web 1", group("web1"), tmp_path / "web1.log", workers=2)
        started.append(web1)
        web2 = Web("web 2", group("web2"), tmp_path / "web2.log", workers=1)
        started.append(web2)
        worker = Process(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--loglevel=INFO",
            ],
            group("worker"),
            tmp_path / "worker.log",
        )
        started.append(worker)
        web1.wait_ready()
        web2.wait_ready()
        yield web1, web2, worker
    finally:
        for process in started:
            process.stop()


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def scrape(web: Web) -> dict:
    response = requests.get(f"{web.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 200, response.status_code
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_a_shopper_and_a_merchant_across_two_web_processes_and_a_worker(topology):
    web1, web2, worker = topology
    merchant = UserFactory(email="bola@example.com", full_name="Bola Adeyemi")
    store = StoreFactory(user=merchant, username="bola-fabrics")
    product = ProductFactory(store=store, name="Ankara wrap", stock_quantity=4)

    # The shopper, on web 1: cart and checkout in one session.
    shopper = requests.Session()
    token = csrf(shopper, f"{web1.url}/bola-fabrics/p/{product.pk}")
    added = shopper.post(
        f"{web1.url}/bola-fabrics/cart",
        data={"csrfmiddlewaretoken": token, "action": "add", "product_id": product.pk, "quantity": 2},
        timeout=10,
    )
    assert added.status_code == 200 and "Ankara wrap" in added.text
    checkout_page = shopper.get(f"{web1.url}/bola-fabrics/checkout", timeout=10)
    form_token = re.search(r'name="token" value="([^"]+)"', checkout_page.text).group(1)
    placed = shopper.post(
        f"{web1.url}/bola-fabrics/checkout",
        data={
            "csrfmiddlewaretoken": shopper.cookies["csrftoken"],
            "name": "Ada Obi",
            "phone": "0803 123 4567",
            "email": "ada@example.com",
            "delivery_method": "pickup",
            "token": form_token,
        },
        headers={"X-Request-ID": CHECKOUT_REQUEST_ID},
        allow_redirects=False,
        timeout=20,
    )
    assert placed.status_code == 302, placed.text[:2000]
    assert placed.headers["X-Request-ID"] == CHECKOUT_REQUEST_ID
    order = Order.objects.get(store=store)
    assert (order.customer_name, order.status, order.total) == (
        "Ada Obi",
        OrderStatus.PENDING,
        product.price * 2,
    )
    assert "/bola-fabrics/pay/" in placed.headers["Location"]

    # The merchant signs in on web 1 and works on web 2: the session lives in Redis and MariaDB.
    merchant_session = requests.Session()
    login = merchant_session.post(
        f"{web1.url}/auth/login/",
        data={
            "csrfmiddlewaretoken": csrf(merchant_session, f"{web1.url}/auth/login/"),
            "email": "bola@example.com",
            "password": DEFAULT_PASSWORD,
        },
        allow_redirects=False,
        timeout=20,
    )
    assert login.status_code == 302, login.text[:2000]
    orders_page = merchant_session.get(f"{web2.url}/dashboard/orders/", timeout=10)
    assert orders_page.status_code == 200
    assert order.order_number in orders_page.text and "Bola Adeyemi" in orders_page.text
    confirmed = merchant_session.post(
        f"{web2.url}/dashboard/orders/{order.pk}/status",
        data={
            "csrfmiddlewaretoken": merchant_session.cookies["csrftoken"],
            "status": "confirmed",
            "note": "",
        },
        timeout=10,
    )
    assert confirmed.status_code == 200
    assert f"Order {order.order_number} is now confirmed." in confirmed.text
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert list(
        OrderEvent.objects.filter(order=order, status="confirmed").values_list("actor_id", flat=True)
    ) == [merchant.pk]

    # The worker ran the checkout's tasks: the transfer account and the shopper's email.
    def worker_did_its_part():
        assert worker.popen.poll() is None, f"the worker exited:\n{worker.output()}"
        payment = Payment.objects.get(order=order)
        email = DeliveryLog.objects.filter(recipient="ada@example.com", template="order_confirmation").first()
        return payment.account_number and email is not None and email.status == DeliveryStatus.SENT

    wait_until(
        worker_did_its_part, timeout=90, interval=0.3, message=lambda: f"worker output:\n{worker.output()}"
    )

    task_lines = [line for line in worker.json_lines() if line.get("request_id") == CHECKOUT_REQUEST_ID]
    finished = {line["task_name"] for line in task_lines if "succeeded in" in line["message"]}
    assert {"payments.tasks.payment_open", "notifications.tasks.deliver"} <= finished, worker.output()
    assert all(line["logger"].startswith("celery") or line.get("task_id") for line in task_lines)
    web1_lines = [line for line in web1.json_lines() if line.get("logger") == "agm.request"]
    assert [line["status"] for line in web1_lines if line["request_id"] == CHECKOUT_REQUEST_ID] == [302]

    # Both web servers and every gunicorn worker add up in one scrape of either server.
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(
            pool.map(lambda _: requests.get(f"{web1.url}/robots.txt", timeout=10).status_code, range(30))
        )
    statuses += [requests.get(f"{web2.url}/robots.txt", timeout=10).status_code for _ in range(5)]
    assert statuses == [200] * 35
    served_by = {line["pid"] for line in web1.json_lines() if line.get("path") == "/robots.txt"}
    assert len(served_by) == 2, "both of web 1's gunicorn workers served requests"

    scraped = scrape(web1)
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    robots_served = sum(
        line["status"] == 200
        for p in (web1, web2)
        for line in p.json_lines()
        if line.get("path") == "/robots.txt"
    )
    assert scraped[(latency, frozenset({"view": "robots-txt", "method": "GET"}.items()))] == robots_served
    assert robots_served >= 35  # and the servers' readiness probes
    assert scraped[("agm_orders_placed_total", frozenset())] == 1
    assert scraped[("agm_payments_opened_total", frozenset())] == 1
    assert scraped[("agm_order_status_changes_total", frozenset({"status": "confirmed"}.items()))] == 1
    succeeded = (
        "agm_celery_tasks_total",
        frozenset({"task": "payments.tasks.payment_open", "outcome": "succeeded"}.items()),
    )
    assert scraped[succeeded] == 1
    assert scraped[("agm_celery_queue_length", frozenset({"queue": "celery"}.items()))] == 0
    assert scrape(web2)[("agm_orders_placed_total", frozenset())] == 1  # either server answers for all
