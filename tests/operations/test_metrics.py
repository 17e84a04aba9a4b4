"""GET /metrics: for operators only, in Prometheus' text format, with what config/metrics.py says.

One process here (the default registry); several gunicorn workers and a Celery worker adding
up in one scrape are in test_processes.py.
"""

from decimal import Decimal as D

import pytest
from celery import shared_task
from django.db import transaction
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import Role
from config.celery import app as celery_app
from config.errors import Conflict
from orders.models import Order
from orders.services import order_place, order_transition
from payments.services import payment_requery
from tests.factories import ProductFactory, UserFactory
from tests.payments.helpers import open_payment

TOKEN = "metrics-token-for-the-tests-0123456789"


def samples(text: str) -> dict:
    """{(sample name, frozenset of label pairs): value} from an exposition."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client) -> dict:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.status_code
    return samples(response.content.decode())


def value(scraped: dict, name: str, **labels) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


@shared_task(name="tests.operations.succeeds")
def succeeds():
    return "ok"


@shared_task(name="tests.operations.fails")
def fails():
    raise ValueError("this task fails")


@shared_task(bind=True, name="tests.operations.retries_once", max_retries=1, default_retry_delay=0)
def retries_once(self):
    if not self.request.retries:
        raise self.retry()
    return "second time"


# --- who may read it -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nobody_signed_in_and_without_a_token_finds_nothing(client):
    response = client.get("/metrics")
    assert response.status_code == 404
    assert b"agm_" not in response.content


@pytest.mark.django_db
def test_a_merchant_finds_nothing(client, merchant):
    client.force_login(merchant)
    response = client.get("/metrics")
    assert response.status_code == 404
    assert b"agm_" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer wrong-token", f"Bearer {TOKEN}x", f"bearer {TOKEN[:-1]}"])
def test_a_wrong_token_is_refused(client, header):
    response = client.get("/metrics", headers={"Authorization": header})
    assert response.status_code == 403
    assert b"agm_" not in response.content


@pytest.mark.django_db
def test_no_token_is_accepted_while_none_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status_code == 404
    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_token_reads_prometheus_text(client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"# TYPE agm_celery_queue_length gauge" in response.content


@pytest.mark.django_db
def test_staff_signed_in_read_it(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests_latency_seconds_by_view_method" in response.content


@pytest.mark.django_db
def test_only_get(client):
    response = client.post("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405


# --- what it counts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_latency_is_counted_by_view_and_queries_by_database(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/robots.txt").status_code == 200
    assert client.get("/no-such-store-here").status_code == 404  # looks the store up
    after = scrape(client)

    name = "django_http_requests_latency_seconds_by_view_method_count"
    assert (
        value(after, name, view="robots-txt", method="GET")
        - value(before, name, view="robots-txt", method="GET")
        == 3
    )
    assert value(after, "django_db_execute_total", alias="default", vendor="mysql") > value(
        before, "django_db_execute_total", alias="default", vendor="mysql"
    )


@pytest.mark.django_db
def test_orders_placed_and_status_changes_are_counted_when_they_commit(
    client, store, django_capture_on_commit_callbacks
):
    product = ProductFactory(store=store, price=D("2500.00"), stock_quantity=1)
    shopper = {"name": "Ada Obi", "phone": "08031234567", "email": "", "address": "1 Allen Avenue"}
    before = scrape(client)

    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(
            store=store,
            customer=shopper,
            lines=[{"product_id": product.pk, "quantity": 1}],
            delivery_method="pickup",
        )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        order_place(
            store=store,
            customer=shopper,
            lines=[{"product_id": product.pk, "quantity": 1}],
            delivery_method="pickup",
        )
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status="confirmed")
    after = scrape(client)

    assert Order.objects.count() == 1
    assert value(after, "agm_orders_placed_total") - value(before, "agm_orders_placed_total") == 1
    assert value(after, "agm_payments_opened_total") - value(before, "agm_payments_opened_total") == 1
    changes = "agm_order_status_changes_total"
    assert value(after, changes, status="confirmed") - value(before, changes, status="confirmed") == 1
    assert value(after, changes, status="cancelled") == value(before, changes, status="cancelled")


@pytest.mark.django_db
def test_a_rolled_back_order_is_not_counted(client, store, django_capture_on_commit_callbacks):
    product = ProductFactory(store=store, price=D("2500.00"), stock_quantity=5)
    before = scrape(client)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_place(
            store=store,
            customer={"name": "Ada Obi", "phone": "08031234567", "address": "1 Allen Avenue"},
            lines=[{"product_id": product.pk, "quantity": 1}],
            delivery_method="pickup",
        )
        raise RuntimeError("the caller's transaction fails after the order was placed")
    after = scrape(client)
    assert callbacks == []
    assert Order.objects.count() == 0
    assert value(after, "agm_orders_placed_total") == value(before, "agm_orders_placed_total")


@pytest.mark.django_db
def test_payments_that_become_paid_are_counted_with_their_amount(
    client, store, monnify, django_capture_on_commit_callbacks
):
    product = ProductFactory(store=store, price=D("12500.50"), stock_quantity=5)
    order = order_place(
        store=store,
        customer={"name": "Ada Obi", "phone": "08031234567", "address": "1 Allen Avenue"},
        lines=[{"product_id": product.pk, "quantity": 1}],
        delivery_method="pickup",
    )
    payment = open_payment(order=order)
    monnify.pay_full(payment.payment_reference)
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_requery(payment_id=payment.pk) is True
        assert payment_requery(payment_id=payment.pk) is False
    after = scrape(client)
    assert value(after, "agm_payments_paid_total") - value(before, "agm_payments_paid_total") == 1
    assert value(after, "agm_payments_paid_naira_total") - value(
        before, "agm_payments_paid_naira_total"
    ) == pytest.approx(float(payment.amount))


@pytest.mark.django_db
def test_celery_task_outcomes_are_counted(client):
    before = scrape(client)
    succeeds.delay()
    succeeds.delay()
    # Eager runs re-raise a task's exception (skipping its failure handlers) unless told not to
    # propagate, as a worker never does.
    celery_app.conf.task_eager_propagates = False
    try:
        assert isinstance(fails.apply().result, ValueError)
        assert retries_once.apply().get() == "second time"
    finally:
        celery_app.conf.task_eager_propagates = True
    after = scrape(client)

    def delta(task, outcome):
        return value(after, "agm_celery_tasks_total", task=task, outcome=outcome) - value(
            before, "agm_celery_tasks_total", task=task, outcome=outcome
        )

    assert delta("tests.operations.succeeds", "succeeded") == 2
    assert delta("tests.operations.fails", "failed") == 1
    assert delta("tests.operations.fails", "succeeded") == 0
    assert delta("tests.operations.retries_once", "retried") == 1
    assert delta("tests.operations.retries_once", "succeeded") == 1


@pytest.mark.django_db
def test_queue_length_is_read_from_the_broker(client):
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        for _ in range(3):
            succeeds.delay()
        scraped = scrape(client)
    finally:
        celery_app.conf.task_always_eager = eager
    assert value(scraped, "agm_celery_queue_length", queue="celery") == 3
    assert value(scraped, "agm_celery_broker_up") == 1


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_reported_not_fatal(client):
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
            response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        celery_app.conf.broker_url = previous
    assert response.status_code == 200
    scraped = samples(response.content.decode())
    assert value(scraped, "agm_celery_broker_up") == 0
    assert not any(name == "agm_celery_queue_length" for name, _ in scraped)
