"""The webhook de-duplication key: a redelivery is a duplicate, a new notification for the same
transaction (a top-up after a short payment) is not."""

from decimal import Decimal

import pytest

from orders.models import OrderStatus, PaymentStatus
from payments import services
from payments.models import MonnifyWebhookEvent, Payment
from payments.webhooks import webhook_reference
from tests.factories import OrderFactory
from tests.payments.test_payment_flow import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(store, monnify):
    return services.payment_start(order=OrderFactory(store=store, total=Decimal("5000.00")))


def test_short_payment_then_top_up_webhooks_are_both_recorded_and_pay(
    client, payment, monnify, django_capture_on_commit_callbacks
):
    monnify.pay_short(payment.payment_reference, Decimal("1500.00"))
    short_event = monnify.transaction_event(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, monnify, short_event).status_code == 200
        assert deliver(client, monnify, short_event).status_code == 200  # a redelivery
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING

    monnify.pay(payment.payment_reference)  # the shopper sends the remaining 1,500.00
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, monnify, monnify.transaction_event(payment.payment_reference))
    assert response.status_code == 200

    events = MonnifyWebhookEvent.objects.order_by("received_at")
    assert [(event.status, event.payload["eventData"]["amountPaid"]) for event in events] == [
        ("processed", 3500),
        ("processed", 5000),
    ]
    paid = Payment.objects.select_related("order").get(pk=payment.pk)
    assert (paid.status, paid.order.status) == (PaymentStatus.PAID, OrderStatus.CONFIRMED)


def test_key_ignores_how_the_amount_is_written_and_differs_by_state():
    base = {"transactionReference": "MNFY|1", "paymentReference": "AGM-1", "paymentStatus": "PAID"}
    as_number = webhook_reference("SUCCESSFUL_TRANSACTION", {**base, "amountPaid": 5000})
    as_text = webhook_reference("SUCCESSFUL_TRANSACTION", {**base, "amountPaid": "5000.00"})
    short = webhook_reference(
        "SUCCESSFUL_TRANSACTION", {**base, "amountPaid": 3500, "paymentStatus": "PARTIALLY_PAID"}
    )
    assert as_number == as_text == "MNFY|1|PAID|5000.00"
    assert short == "MNFY|1|PARTIALLY_PAID|3500.00"
    assert webhook_reference("SUCCESSFUL_DISBURSEMENT", {"reference": "AGMPO-1"}) == "AGMPO-1"
    assert (
        len(webhook_reference("SUCCESSFUL_TRANSACTION", {**base, "transactionReference": "X" * 300})) <= 100
    )
