"""Orders and payments together: checkout opens a transfer account, Monnify's payment confirms
the order through the orders service, expiry and cancelling go back through it."""

from decimal import Decimal as D

import pytest

from config.errors import ServiceError
from notifications.models import DeliveryLog
from orders.models import Order, OrderEvent, OrderStatus, PaymentStatus
from orders.services import order_cancel
from payments.models import Payment, Refund
from tests.factories import ProductFactory
from tests.orders.test_storefront_pages import checkout_data
from tests.payments.test_payment_flow import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def tote(store):
    return ProductFactory(store=store, name="Ankara Tote", price=D("6500.00"), stock_quantity=4)


def checkout(client, store, tote, django_capture_on_commit_callbacks):
    client.post(f"/{store.username}/cart", {"action": "add", "product_id": tote.pk, "quantity": 2})
    data = checkout_data(client, store, delivery_method="pickup", email="ada@example.com")
    earlier = set(Order.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{store.username}/checkout", data)
    return response, Order.objects.exclude(pk__in=earlier).get()


def test_checkout_opens_a_transfer_account_and_the_webhook_confirms_the_order(
    client, store, tote, monnify, django_capture_on_commit_callbacks
):
    response, order = checkout(client, store, tote, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(order=order)
    assert response.status_code == 302
    assert response["Location"] == f"/{store.username}/pay/{payment.payment_reference}"
    assert (payment.amount, payment.status, len(payment.account_number)) == (D("13000.00"), "pending", 10)

    page = client.get(response["Location"]).content.decode()
    assert payment.account_number in page
    assert "13,000.00" in page

    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        webhook = deliver(client, monnify, monnify.transaction_event(payment.payment_reference))
    assert webhook.status_code == 200

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (payment.status, order.payment_status, order.status) == ("paid", "paid", "confirmed")
    assert list(OrderEvent.objects.filter(order=order).values_list("status", "note")) == [
        ("pending", "Order placed (pickup)."),
        ("confirmed", "Payment received."),
    ]
    confirmations = DeliveryLog.objects.filter(
        template="order_status", idempotency_key__endswith=":confirmed"
    )
    assert sorted(confirmations.values_list("channel", "recipient")) == [
        ("email", "ada@example.com"),
        ("sms", "+2348031234567"),
    ]
    assert "Payment received" in confirmations.get(channel="email").subject


def test_the_api_checkout_answers_with_where_to_pay(api_client, store, tote, monnify):
    response = api_client.post(
        "/api/v1/orders",
        {
            "storeUsername": store.username,
            "customerName": "Ada Obi",
            "customerPhone": "08031234567",
            "deliveryMethod": "pickup",
            "items": [{"productId": tote.pk, "quantity": 1}],
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="api-checkout-1",
    )
    assert response.status_code == 201
    payment = Payment.objects.get()
    assert response.json()["data"]["payment"] == {
        "reference": payment.payment_reference,
        "payUrl": f"http://testserver/{store.username}/pay/{payment.payment_reference}",
        "verifyUrl": f"http://testserver/api/v1/payments/verify/{payment.payment_reference}",
    }


def paid_order(client, store, tote, monnify, django_capture_on_commit_callbacks):
    _response, order = checkout(client, store, tote, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(order=order)
    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, monnify, monnify.transaction_event(payment.payment_reference))
    return Order.objects.get(pk=order.pk), payment


def test_cancelling_a_paid_order_refunds_it_through_monnify(
    client, store, tote, monnify, merchant, django_capture_on_commit_callbacks
):
    # An earlier sale leaves enough balance to fund the refund (the merchant bore the fee).
    paid_order(client, store, tote, monnify, django_capture_on_commit_callbacks)
    order, payment = paid_order(client, store, tote, monnify, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, actor=merchant, note="Out of fabric")

    order.refresh_from_db()
    tote.refresh_from_db()
    refund = Refund.objects.get(payment=payment)
    assert (order.status, tote.stock_quantity) == (OrderStatus.CANCELLED, 2)
    assert refund.amount == D("13000.00")
    assert monnify.count("POST", "/api/v1/refunds/initiate-refund") == 1


def test_a_paid_order_the_balance_cannot_refund_stays_as_it_was(
    client, store, tote, monnify, merchant, django_capture_on_commit_callbacks
):
    order, _payment = paid_order(client, store, tote, monnify, django_capture_on_commit_callbacks)

    with pytest.raises(ServiceError, match=r"The balance is too low to fund this refund\."):
        order_cancel(order=order, actor=merchant)

    order.refresh_from_db()
    tote.refresh_from_db()
    assert (order.status, order.payment_status, tote.stock_quantity) == ("confirmed", "paid", 2)
    assert Refund.objects.count() == 0
    assert monnify.count("POST", "/api/v1/refunds/initiate-refund") == 0


def test_an_unpaid_order_cancels_without_a_refund(
    client, store, tote, monnify, django_capture_on_commit_callbacks
):
    _response, order = checkout(client, store, tote, django_capture_on_commit_callbacks)
    order_cancel(order=order, note="Shopper changed their mind")
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.PENDING)
    assert Refund.objects.count() == 0
