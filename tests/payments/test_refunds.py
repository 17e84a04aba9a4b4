from decimal import Decimal

import pytest

from config.errors import Conflict, NotFound, ServiceError
from notifications.models import DeliveryLog, Notification
from orders.models import PaymentStatus
from payments import selectors, services, tasks
from payments.models import LedgerEntry, Refund
from tests.factories import OrderFactory, StoreFactory
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(merchant, monnify):
    order = OrderFactory(
        store=StoreFactory(user=merchant), total=Decimal("20000.00"), agm_fee=Decimal("500.00")
    )
    payment = open_payment(order=order)
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    payment.refresh_from_db()
    # A second paid order so the balance can fund a full refund.
    other = OrderFactory(store=order.store, total=Decimal("5000.00"), agm_fee=Decimal("125.00"))
    second = open_payment(order=other)
    monnify.pay_full(second.payment_reference)
    tasks.payments_requery_pending.delay()
    return payment


@pytest.fixture
def refund_now(django_capture_on_commit_callbacks):
    def start(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            refund = services.payment_refund_start(**kwargs)
        refund.refresh_from_db()
        return refund

    return start


def balance(user):
    return selectors.ledger_balance(user=user)


def post_event(client, monnify, event, captured):
    body, headers = monnify.webhook_request(event)
    with captured(execute=True):
        return client.post(
            "/api/v1/webhooks/monnify",
            data=body,
            content_type="application/json",
            HTTP_MONNIFY_SIGNATURE=headers["monnify-signature"],
        )


def test_full_refund_completes_by_webhook(
    paid, merchant, monnify, refund_now, client, django_capture_on_commit_callbacks
):
    before = balance(merchant)
    refund = refund_now(payment=paid, reason="Order cancelled", user=merchant)
    assert refund.status == "in_progress"
    assert monnify.refunds[refund.reference]["refundAmount"] == Decimal("20000.00")
    assert balance(merchant) == before - Decimal("20000.00")
    monnify.settle_refund(refund.reference, "COMPLETED")
    for _ in range(2):
        response = post_event(
            client, monnify, monnify.refund_event(refund.reference), django_capture_on_commit_callbacks
        )
        assert response.status_code == 200
    refund.refresh_from_db()
    paid.refresh_from_db()
    paid.order.refresh_from_db()
    assert refund.status == "completed"
    assert paid.status == PaymentStatus.REFUNDED
    assert paid.order.payment_status == PaymentStatus.REFUNDED
    assert balance(merchant) == before - Decimal("20000.00")


def test_failed_refund_returns_money(paid, merchant, monnify, refund_now):
    before = balance(merchant)
    refund = refund_now(payment=paid, reason="Order cancelled", amount="1000")
    monnify.settle_refund(refund.reference, "FAILED")
    services.refund_requery(refund_id=refund.pk)
    services.refund_requery(refund_id=refund.pk)
    refund.refresh_from_db()
    assert refund.status == "failed"
    assert balance(merchant) == before
    assert LedgerEntry.objects.filter(kind="credit_refund_reversal").count() == 1
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.PAID


def test_partial_refund_keeps_payment_paid(paid, merchant, monnify, refund_now):
    refund = refund_now(payment=paid, reason="One item missing", amount="2500")
    monnify.settle_refund(refund.reference, "COMPLETED")
    services.refund_requery(refund_id=refund.pk)
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.PAID
    with pytest.raises(ServiceError):
        services.payment_refund_start(payment=paid, reason="Again", amount="17500.01")
    assert Refund.objects.count() == 1


def test_unpaid_or_foreign_payment_cannot_be_refunded(paid, other_merchant, monnify, store):
    with pytest.raises(NotFound):
        services.payment_refund_start(payment=paid, reason="x", user=other_merchant)
    pending = open_payment(order=OrderFactory(store=store))
    with pytest.raises(Conflict):
        services.payment_refund_start(payment=pending, reason="x")
    assert Refund.objects.count() == 0


def test_monnify_down_refund_is_sent_later(paid, merchant, monnify, refund_now):
    monnify.stop()
    refund = refund_now(payment=paid, reason="Order cancelled", amount="3000")
    assert refund.status == "pending"
    monnify.start()
    Refund.objects.filter(pk=refund.pk).update(updated_at=refund.updated_at.replace(year=2020))
    tasks.refunds_requery.delay()
    refund.refresh_from_db()
    assert refund.status == "in_progress"
    assert list(monnify.refunds) == [refund.reference]


def test_overpayment_excess_is_credited_and_can_be_refunded(merchant, monnify, refund_now):
    order = OrderFactory(
        store=StoreFactory(user=merchant), total=Decimal("8000.00"), agm_fee=Decimal("200.00")
    )
    payment = open_payment(order=order)
    monnify.pay_over(payment.payment_reference, Decimal("300.00"))
    tasks.payments_requery_pending.delay()
    payment.refresh_from_db()
    assert balance(merchant) == Decimal("8100.00")
    refund = refund_now(payment=payment, reason="Excess transfer", amount="300")
    assert monnify.refunds[refund.reference]["refundAmount"] == Decimal("300.00")
    assert balance(merchant) == Decimal("7800.00")


@pytest.mark.parametrize("outcome", ["COMPLETED", "FAILED"])
def test_the_shopper_hears_how_the_refund_ended_once(
    outcome,
    paid,
    merchant,
    monnify,
    refund_now,
    client,
    django_capture_on_commit_callbacks,
):
    order = paid.order
    order.customer_email = "ada@example.com"
    order.save(update_fields=["customer_email"])
    refund = refund_now(payment=paid, reason="Order cancelled", user=merchant)
    assert not DeliveryLog.objects.filter(template="refund_outcome").exists()  # not while in progress

    monnify.settle_refund(refund.reference, outcome)
    for _ in range(2):
        post_event(
            client, monnify, monnify.refund_event(refund.reference), django_capture_on_commit_callbacks
        )

    logs = DeliveryLog.objects.filter(template="refund_outcome").order_by("channel")
    assert [(log.channel, log.recipient, log.idempotency_key) for log in logs] == [
        ("email", "ada@example.com", f"refund-outcome:{refund.pk}"),
        ("sms", order.customer_phone, f"refund-outcome:{refund.pk}"),
    ]
    sms = logs.get(channel="sms").body_text
    if outcome == "COMPLETED":
        assert (
            f"refund of NGN 20,000 for order {order.order_number} sent to the account you paid from." in sms
        )
        assert logs.get(channel="email").subject == (
            f"Your refund of ₦20,000 for order {order.order_number} is on its way"
        )
    else:
        assert f"refund for order {order.order_number} could not be sent; the store will contact you." in sms
    what = "completed" if outcome == "COMPLETED" else "failed"
    assert list(Notification.objects.filter(title__startswith="Refund").values_list("title", flat=True)) == [
        f"Refund {refund.reference} {what}"
    ]
