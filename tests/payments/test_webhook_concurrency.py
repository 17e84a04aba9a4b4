"""Monnify delivering the same notification many times at once, to our server over real HTTP."""

from decimal import Decimal

import pytest

from orders.models import OrderStatus, PaymentStatus
from payments import services
from payments.models import MonnifyWebhookEvent, Payment
from tests.factories import OrderFactory, StoreFactory


@pytest.mark.django_db(transaction=True)
def test_same_webhook_twenty_times_concurrently_changes_state_once(live_server, monnify):
    order = OrderFactory(store=StoreFactory(), total=Decimal("12500.00"))
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    event = monnify.transaction_event(payment.payment_reference)

    statuses = monnify.send_webhook(
        f"{live_server.url}/api/v1/webhooks/monnify", event, times=20, concurrency=20
    )

    assert statuses == [200] * 20
    assert MonnifyWebhookEvent.objects.count() == 1
    assert MonnifyWebhookEvent.objects.get().status == "processed"
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.PAID)
    # One recorded event means one processing run: Monnify was re-queried exactly once.
    assert monnify.count("GET", "/api/v2/transactions/") == 1
    assert Payment.objects.filter(order=order).count() == 1


@pytest.mark.django_db(transaction=True)
def test_bad_signature_over_http_is_refused(live_server, monnify):
    order = OrderFactory(store=StoreFactory())
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    honest_secret = monnify.secret_key
    monnify.secret_key = "an-attacker-guess"
    try:
        statuses = monnify.send_webhook(
            f"{live_server.url}/api/v1/webhooks/monnify",
            monnify.transaction_event(payment.payment_reference),
            times=3,
            concurrency=3,
        )
    finally:
        monnify.secret_key = honest_secret
    assert statuses == [401] * 3
    assert MonnifyWebhookEvent.objects.count() == 0
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
