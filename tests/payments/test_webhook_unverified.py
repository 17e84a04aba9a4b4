"""A webhook cannot be used up without being applied (issue 12, finding 3): an event whose re-query
failed or did not confirm it stays `unverified`, and the next delivery of the same event, or the
periodic re-query, processes it again; a verified event applies exactly once."""

from decimal import Decimal

import pytest

from orders.models import OrderStatus, PaymentStatus
from payments import tasks
from payments.models import LedgerEntry, MonnifyWebhookEvent, Payment
from tests.factories import OrderFactory
from tests.payments.helpers import open_payment
from tests.payments.test_payment_flow import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(store, monnify):
    return open_payment(order=OrderFactory(store=store, total=Decimal("5000.00")))


@pytest.fixture
def post(client, monnify, django_capture_on_commit_callbacks):
    def post(event):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, monnify, event)

    return post


def _state(payment):
    paid = Payment.objects.select_related("order").get(pk=payment.pk)
    return paid.status, paid.order.status, LedgerEntry.objects.filter(payment=paid).count()


def test_101_deliveries_after_a_failed_verification_apply_once(payment, monnify, post):
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)
    monnify.fail_next(3, status=503, path="/api/v2/transactions/")  # every retry of the re-query

    assert post(event).status_code == 200
    held = MonnifyWebhookEvent.objects.get()
    assert held.status == "unverified"
    assert held.error == "Monnify answered HTTP 503"
    assert _state(payment) == (PaymentStatus.PENDING, OrderStatus.PENDING, 0)

    answers = [post(event) for _ in range(100)]

    assert [answer.status_code for answer in answers] == [200] * 100
    assert [answer.json()["message"] for answer in answers] == ["Received"] + ["Already received"] * 99
    assert _state(payment) == (PaymentStatus.PAID, OrderStatus.CONFIRMED, 1)
    held.refresh_from_db()
    assert (held.status, held.error) == ("processed", "")
    assert MonnifyWebhookEvent.objects.count() == 1
    encoded = payment.monnify_reference.replace("|", "%7C")
    # Three refused re-queries of the first delivery, one for the delivery that verified it.
    assert monnify.count("GET", f"/api/v2/transactions/{encoded}") == 4


def test_an_event_monnify_does_not_confirm_yet_is_kept_and_applied_on_redelivery(payment, monnify, post):
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)
    monnify.set_status(payment.payment_reference, "PENDING")  # Monnify's query lags the event

    assert post(event).status_code == 200
    held = MonnifyWebhookEvent.objects.get()
    assert held.status == "unverified"
    assert held.error == "Monnify reports PENDING 5000.00, the event PAID 5000.00"
    assert _state(payment) == (PaymentStatus.PENDING, OrderStatus.PENDING, 0)

    monnify.set_status(payment.payment_reference, "PAID")
    assert post(event).json()["message"] == "Received"
    assert post(event).json()["message"] == "Already received"
    assert _state(payment) == (PaymentStatus.PAID, OrderStatus.CONFIRMED, 1)
    assert MonnifyWebhookEvent.objects.get().status == "processed"


def test_the_periodic_requery_processes_an_unverified_event(payment, monnify, post):
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)
    monnify.fail_next(3, status=503, path="/api/v2/transactions/")
    post(event)
    assert MonnifyWebhookEvent.objects.get().status == "unverified"

    tasks.payments_requery_pending.delay()

    assert MonnifyWebhookEvent.objects.get().status == "processed"
    assert _state(payment) == (PaymentStatus.PAID, OrderStatus.CONFIRMED, 1)
    # Once processed, neither a redelivery nor another run applies anything again.
    assert post(event).json()["message"] == "Already received"
    tasks.payments_requery_pending.delay()
    assert _state(payment) == (PaymentStatus.PAID, OrderStatus.CONFIRMED, 1)


def test_a_late_short_payment_event_is_confirmed_by_the_later_full_payment(payment, monnify, post):
    monnify.pay_short(payment.payment_reference, Decimal("1500.00"))
    short_event = monnify.transaction_event(payment.payment_reference)
    monnify.pay(payment.payment_reference)
    assert post(monnify.transaction_event(payment.payment_reference)).status_code == 200

    assert post(short_event).status_code == 200  # delivered late, after the top-up

    assert sorted(MonnifyWebhookEvent.objects.values_list("status", flat=True)) == ["processed", "processed"]
    assert _state(payment) == (PaymentStatus.PAID, OrderStatus.CONFIRMED, 1)
