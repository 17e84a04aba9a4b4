"""Payment requests: the merchant places an order for a shopper and sends its pay link."""

from decimal import Decimal as D
from urllib.parse import quote

import pytest

from notifications.models import DeliveryLog
from orders.models import Order, OrderEvent
from orders.services import order_mark_paid
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(merchant):
    return StoreFactory(user=merchant, username="ada-fabrics", display_name="Ada Fabrics")


@pytest.fixture
def kaftan(shop):
    return ProductFactory(store=shop, name="Kaftan", price=D("5000.00"), stock_quantity=4)


def request_data(kaftan, **changes):
    return {
        "store": kaftan.store_id,
        "name": "Ada Obi",
        "phone": "0803 123 4567",
        "email": "ada@example.com",
        "delivery_method": "pickup",
        "product_1": kaftan.pk,
        "quantity_1": 2,
        "token": "tok-1",
        **changes,
    }


def test_the_merchant_creates_an_order_and_sends_its_pay_link(
    client, merchant, kaftan, django_capture_on_commit_callbacks
):
    client.force_login(merchant)
    assert client.get("/dashboard/orders/new").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dashboard/orders/new", request_data(kaftan))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/orders/{order.pk}"
    assert (order.total, order.customer_phone) == (D("10000.00"), "+2348031234567")
    kaftan.refresh_from_db()
    assert kaftan.stock_quantity == 2  # held as for a checkout
    assert OrderEvent.objects.filter(
        order=order, note="Payment request created from the dashboard.", actor=merchant
    ).exists()
    # The same form posted twice (a double tap) makes one order.
    client.post("/dashboard/orders/new", request_data(kaftan))
    assert Order.objects.count() == 1

    payment = order.payments.get()
    link = f"http://testserver/ada-fabrics/pay/{payment.payment_reference}"  # built in the request
    page = client.get(f"/dashboard/orders/{order.pk}").content.decode()
    text = (
        f"Hello Ada Obi, here is your order {order.order_number} from Ada Fabrics: 2 x Kaftan. "
        f"Total ₦10,000. Pay by bank transfer here: {link}"
    )
    assert f"https://wa.me/2348031234567?text={quote(text)}" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dashboard/orders/{order.pk}/send-pay-link", {"channel": "sms", "key": "k1"})
        client.post(f"/dashboard/orders/{order.pk}/send-pay-link", {"channel": "sms", "key": "k1"})  # a retry
        client.post(f"/dashboard/orders/{order.pk}/send-pay-link", {"channel": "email", "key": "k1"})
    logs = DeliveryLog.objects.filter(template="payment_request").order_by("channel")
    assert [(log.channel, log.recipient, log.idempotency_key) for log in logs] == [
        ("email", "ada@example.com", f"pay-request:{order.pk}:email:k1"),
        ("sms", "+2348031234567", f"pay-request:{order.pk}:sms:k1"),
    ]
    assert logs.get(channel="sms").body_text == (
        f"Ada Fabrics: order {order.order_number}, NGN 10,000. Pay by transfer: {link}"
    )


def test_a_pay_link_is_not_sent_more_than_three_times_or_after_payment(
    client, merchant, kaftan, django_capture_on_commit_callbacks
):
    client.force_login(merchant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/orders/new", request_data(kaftan))
    order = Order.objects.get()
    for key in ("a", "b", "c", "d"):
        response = client.post(
            f"/dashboard/orders/{order.pk}/send-pay-link", {"channel": "sms", "key": key}, follow=True
        )
    assert "The pay link was already sent 3 times by sms." in response.content.decode()
    assert DeliveryLog.objects.filter(template="payment_request").count() == 3

    order_mark_paid(order_id=order.pk)
    response = client.post(
        f"/dashboard/orders/{order.pk}/send-pay-link", {"channel": "email", "key": "e"}, follow=True
    )
    assert "This order is no longer waiting for payment." in response.content.decode()
    assert DeliveryLog.objects.filter(template="payment_request", channel="email").count() == 0


def test_bad_requests_write_nothing(client, merchant, other_merchant, kaftan):
    client.force_login(merchant)
    response = client.post("/dashboard/orders/new", request_data(kaftan, quantity_1=9))
    assert response.status_code == 200
    assert "Only 4 of Kaftan left in stock." in response.content.decode()
    assert Order.objects.count() == 0

    client.force_login(other_merchant)
    StoreFactory(user=other_merchant)
    foreign = client.post("/dashboard/orders/new", request_data(kaftan))
    assert foreign.status_code == 200  # the product is not one of their store's choices
    assert Order.objects.count() == 0


def test_payment_requests_through_the_api(
    merchant_api, other_merchant_api, kaftan, django_capture_on_commit_callbacks
):
    body = {
        "storeId": kaftan.store_id,
        "customerName": "Ada Obi",
        "customerPhone": "08031234567",
        "deliveryMethod": "pickup",
        "items": [{"productId": kaftan.pk, "quantity": 1}],
    }
    assert other_merchant_api.post("/api/v1/orders/payment-requests", body, format="json").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_api.post(
            "/api/v1/orders/payment-requests", body, format="json", HTTP_IDEMPOTENCY_KEY="r1"
        )
    assert response.status_code == 201
    data = response.json()["data"]
    order = Order.objects.get()
    assert data["orderNumber"] == order.order_number
    assert (
        data["payLink"]
        == f"http://testserver/{kaftan.store.username}/pay/{order.payments.get().payment_reference}"
    )
    assert data["whatsappUrl"].startswith("https://wa.me/2348031234567?text=Hello%20Ada%20Obi")

    sent = merchant_api.post(f"/api/v1/orders/{order.pk}/pay-link", {"channel": "sms"}, format="json")
    assert sent.status_code == 200
    assert (
        other_merchant_api.post(
            f"/api/v1/orders/{order.pk}/pay-link", {"channel": "sms"}, format="json"
        ).status_code
        == 404
    )
    bad = merchant_api.post(f"/api/v1/orders/{order.pk}/pay-link", {"channel": "email"}, format="json")
    assert bad.status_code == 400
    assert DeliveryLog.objects.filter(template="payment_request").count() == 1
