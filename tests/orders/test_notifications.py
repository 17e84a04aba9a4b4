"""Order messages: the shopper's confirmation and status updates, the merchant's new-order alert,
and the storefront's stock states after an order."""

from decimal import Decimal as D

import pytest
from django.core import mail

from notifications.models import DeliveryLog, Notification
from notifications.rendering import GSM7_BASIC, GSM7_EXTENDED, sms_segments
from orders import messages
from orders.models import Order, OrderStatus, PaymentStatus
from orders.services import (
    IllegalTransition,
    order_cancel,
    order_expire_payment,
    order_place,
    order_transition,
)
from tests.factories import OrderFactory, ProductFactory, StoreFactory, UserFactory, UserSettingsFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def kaftan(shop):
    return ProductFactory(
        store=shop,
        name="Kaftan",
        price=D("5000.00"),
        stock_quantity=3,
        variations=[{"name": "Size", "options": ["M", "L"]}],
    )


@pytest.fixture
def place(shop, kaftan, shopper, django_capture_on_commit_callbacks):
    def place(**changes):
        arguments = {
            "store": shop,
            "customer": shopper,
            "lines": [{"product_id": kaftan.pk, "quantity": 2, "variant_selection": {"Size": "L"}}],
            **changes,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return order_place(**arguments)

    return place


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(function, **arguments):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**arguments)

    return run


def logs(**filters):
    return list(
        DeliveryLog.objects.filter(**filters)
        .order_by("idempotency_key", "channel")
        .values_list("idempotency_key", "channel", "template", "recipient", "user_id", "category", "status")
    )


def test_placing_an_order_messages_the_shopper_and_the_merchant(place, merchant, shop):
    order = place()

    assert order.total == D("12500.00")
    assert logs() == [
        (
            f"order-placed:{order.pk}:merchant",
            "email",
            "new_order",
            merchant.email,
            merchant.pk,
            "order",
            "sent",
        ),
        (
            f"order-placed:{order.pk}:shopper",
            "email",
            "order_confirmation",
            "ada@example.com",
            None,
            "order",
            "sent",
        ),
        (
            f"order-placed:{order.pk}:shopper",
            "sms",
            "order_confirmed",
            "+2348031234567",
            None,
            "order",
            "sent",
        ),
    ]
    assert {(log.related_type, log.related_id) for log in DeliveryLog.objects.all()} == {
        ("orders.order", order.pk)
    }
    confirmation = DeliveryLog.objects.get(template="order_confirmation")
    assert confirmation.subject == f"Your order {order.order_number} from Ada Fabrics"
    assert confirmation.from_name == "Ada Fabrics via AGM Store Builder"
    for body in (confirmation.body_text, confirmation.body_html):
        assert order.order_number in body
        assert "₦12,500" in body
        assert "₦10,000" in body  # the kaftans
        assert "₦2,500" in body  # delivery
        assert "Size: L" in body
        assert f"{SITE}/track/{order.order_number}" in body
    assert "- 2 x Kaftan (Size: L) @ ₦5,000: ₦10,000" in confirmation.body_text
    assert "Delivery to: 12 Allen Avenue, Ikeja, Lagos." in confirmation.body_text
    assert "We will let you know as soon as your payment is confirmed." in confirmation.body_text

    sms = DeliveryLog.objects.get(channel="sms")
    assert sms.body_text == (
        f"Ada Fabrics: order {order.order_number} received. Total NGN 12,500. "
        f"Track: {SITE}/track/{order.order_number}"
    )

    alert = DeliveryLog.objects.get(template="new_order")
    assert alert.subject == f"New order {order.order_number}: ₦12,500 from Ada Obi"
    for body in (alert.body_text, alert.body_html):
        assert order.order_number in body
        assert "₦12,500" in body
        assert "+2348031234567" in body
        assert f"{SITE}/dashboard/orders/{order.pk}" in body
    assert "After the AGM Store Builder fee of ₦250, you receive ₦12,250." in alert.body_text

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == sorted(
        [
            ("ada@example.com", f"Your order {order.order_number} from Ada Fabrics"),
            (merchant.email, f"New order {order.order_number}: ₦12,500 from Ada Obi"),
        ]
    )
    bell = Notification.objects.get()
    assert (bell.user_id, bell.title, bell.link, bell.read_at) == (
        merchant.pk,
        f"New order {order.order_number}",
        f"/dashboard/orders/{order.pk}",
        None,
    )
    assert bell.body == "Ada Obi ordered 2 items for ₦12,500 from Ada Fabrics."


def test_the_storefront_checkout_sends_the_same_messages(
    client, shop, kaftan, merchant, django_capture_on_commit_callbacks
):
    client.post(
        f"/{shop.username}/cart",
        {"action": "add", "product_id": kaftan.pk, "quantity": 1, "option-Size": "M"},
    )
    token = client.get(f"/{shop.username}/checkout").context["form"]["token"].value()
    data = {
        "name": "Ada Obi",
        "phone": "08031234567",
        "email": "ada@example.com",
        "delivery_method": "delivery",
        "address": "12 Allen Avenue",
        "state": "Lagos",
        "lga": "Ikeja",
        "notes": "Call before you come",
        "coupon": "",
        "token": token,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{shop.username}/checkout", data)
    order = Order.objects.get()

    assert response.status_code == 302
    assert [(key, channel, template, recipient) for key, channel, template, recipient, *_ in logs()] == [
        (f"order-placed:{order.pk}:merchant", "email", "new_order", merchant.email),
        (f"order-placed:{order.pk}:shopper", "email", "order_confirmation", "ada@example.com"),
        (f"order-placed:{order.pk}:shopper", "sms", "order_confirmed", "+2348031234567"),
    ]
    assert "Customer's note: Call before you come" in DeliveryLog.objects.get(template="new_order").body_text
    # the double submit places no second order and sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/{shop.username}/checkout", data)
    assert DeliveryLog.objects.count() == 3
    assert Notification.objects.count() == 1


def test_merchant_with_order_notifications_off_gets_no_email_but_the_shopper_does(place, merchant):
    UserSettingsFactory(user=merchant, order_notifications=False)

    order = place()

    assert [(key, channel) for key, channel, *_ in logs()] == [
        (f"order-placed:{order.pk}:shopper", "email"),
        (f"order-placed:{order.pk}:shopper", "sms"),
    ]
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]
    # the bell is the dashboard's own list, not a channel: it still shows the order
    assert Notification.objects.filter(user=merchant).count() == 1


def test_merchant_with_email_off_gets_no_email(place, merchant):
    UserSettingsFactory(user=merchant, email_notifications=False)

    place()

    assert not DeliveryLog.objects.filter(user=merchant).exists()
    assert DeliveryLog.objects.count() == 2


def test_a_shopper_without_email_gets_only_the_sms(place, shopper, merchant):
    order = place(customer={**shopper, "email": ""})

    assert [(key, channel, template) for key, channel, template, *_ in logs()] == [
        (f"order-placed:{order.pk}:merchant", "email", "new_order"),
        (f"order-placed:{order.pk}:shopper", "sms", "order_confirmed"),
    ]
    assert [message.to for message in mail.outbox] == [[merchant.email]]


def test_placing_twice_with_the_same_key_sends_one_set_of_messages(place):
    first = place(idempotency_key="checkout-1")
    second = place(idempotency_key="checkout-1")

    assert second.pk == first.pk
    assert DeliveryLog.objects.count() == 3
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 2


def test_the_api_checkout_retried_with_its_idempotency_key_sends_one_set(
    api_client, shop, kaftan, merchant, django_capture_on_commit_callbacks
):
    body = {
        "storeUsername": shop.username,
        "customerName": "Ada Obi",
        "customerPhone": "08031234567",
        "deliveryAddress": "12 Allen Avenue",
        "deliveryState": "Lagos",
        "deliveryLga": "Ikeja",
        "items": [{"productId": kaftan.pk, "quantity": 1, "variantSelection": {"Size": "M"}}],
    }
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post("/api/v1/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
        assert response.status_code == 201, response.json()
    order = Order.objects.get()

    assert [(key, channel, template, recipient) for key, channel, template, recipient, *_ in logs()] == [
        (f"order-placed:{order.pk}:merchant", "email", "new_order", merchant.email),
        (f"order-placed:{order.pk}:shopper", "sms", "order_confirmed", "+2348031234567"),
    ]
    assert Notification.objects.count() == 1


def test_sending_the_placed_messages_again_sends_nothing_more(place, run):
    order = place()

    run(messages.send_order_placed, order_id=order.pk)

    assert DeliveryLog.objects.count() == 3
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_failed_checkout_sends_nothing(place, kaftan):
    with pytest.raises(Exception, match="Only 3 of Kaftan left"):
        place(lines=[{"product_id": kaftan.pk, "quantity": 4, "variant_selection": {"Size": "L"}}])

    assert DeliveryLog.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def status_logs(order):
    return [
        (key.rsplit(":", 1)[1], channel, template, recipient)
        for key, channel, template, recipient, *_ in logs(
            idempotency_key__startswith=f"order-status:{order.pk}:"
        )
    ]


def test_each_status_change_sends_one_update_and_processing_sends_none(place, run, merchant):
    order = place()
    mail.outbox.clear()

    run(order_transition, order=order, to_status=OrderStatus.CONFIRMED, actor=merchant)
    run(order_transition, order=order, to_status=OrderStatus.PROCESSING, actor=merchant)
    run(
        order_transition,
        order=order,
        to_status=OrderStatus.SHIPPED,
        actor=merchant,
        note="Packed by Tunde, check stock",
        customer_message="GIG waybill 12345",
    )
    run(order_transition, order=order, to_status=OrderStatus.DELIVERED, actor=merchant)
    run(order_transition, order=order, to_status=OrderStatus.FULFILLED, actor=merchant)

    assert sorted(status_logs(order)) == sorted(
        (status, channel, "order_status", recipient)
        for status in ("confirmed", "delivered", "shipped")
        for channel, recipient in (("email", "ada@example.com"), ("sms", "+2348031234567"))
    )
    assert [message.subject for message in mail.outbox] == [
        f"Order {order.order_number} is confirmed",
        f"Order {order.order_number} is on its way",
        f"Order {order.order_number} has been delivered",
    ]
    shipped = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:shipped", channel="email")
    assert "Note from Ada Fabrics: GIG waybill 12345" in shipped.body_text
    assert "Tunde" not in shipped.body_text  # the internal note stays with the merchant
    assert "Ada Fabrics has sent your order to 12 Allen Avenue, Ikeja, Lagos." in shipped.body_text
    sms = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:delivered", channel="sms")
    assert sms.body_text == (
        f"Ada Fabrics: order {order.order_number} has been delivered. Thank you! "
        f"Track: {SITE}/track/{order.order_number}"
    )


def test_an_illegal_transition_sends_nothing(place, run):
    order = place()
    run(order_transition, order=order, to_status=OrderStatus.CONFIRMED)
    before = DeliveryLog.objects.count()

    with pytest.raises(IllegalTransition):
        run(order_transition, order=order, to_status=OrderStatus.CONFIRMED)
    with pytest.raises(IllegalTransition):
        run(order_transition, order=order, to_status=OrderStatus.DELIVERED)

    assert DeliveryLog.objects.count() == before
    assert status_logs(order) == [
        ("confirmed", "email", "order_status", "ada@example.com"),
        ("confirmed", "sms", "order_status", "+2348031234567"),
    ]


def test_a_paid_order_is_confirmed_as_payment_received(place, run):
    order = place()
    # what the payments app does when Monnify confirms the transfer
    Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PAID)

    run(order_transition, order=order, to_status=OrderStatus.CONFIRMED, note="Paid by bank transfer")

    email = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:confirmed", channel="email")
    assert email.subject == f"Payment received: order {order.order_number} is confirmed"
    assert "We have received your payment of ₦12,500." in email.body_text
    assert "₦10,000" in email.body_text  # the items, again, as a receipt
    sms = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:confirmed", channel="sms")
    assert sms.body_text == (
        f"Ada Fabrics: payment received, order {order.order_number} is confirmed. "
        f"Track: {SITE}/track/{order.order_number}"
    )


def test_a_cancelled_order_tells_the_shopper_once(place, run, merchant):
    order = place()

    run(
        order_cancel,
        order=order,
        actor=merchant,
        note="supplier late",
        customer_message="Out of this fabric, sorry",
    )
    with pytest.raises(IllegalTransition):
        run(order_cancel, order=order, actor=merchant)

    assert status_logs(order) == [
        ("cancelled", "email", "order_status", "ada@example.com"),
        ("cancelled", "sms", "order_status", "+2348031234567"),
    ]
    email = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:cancelled", channel="email")
    assert email.subject == f"Order {order.order_number} has been cancelled"
    assert "Ada Fabrics has cancelled your order. Nothing more is due for it." in email.body_text
    assert "Note from Ada Fabrics: Out of this fabric, sorry" in email.body_text
    assert "supplier late" not in email.body_text


def test_an_expired_payment_tells_the_shopper_why(place, run):
    order = place()

    run(order_expire_payment, order=order)
    run(order_expire_payment, order=order)

    assert [status for status, *_ in status_logs(order)] == ["cancelled", "cancelled"]
    sms = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:cancelled", channel="sms")
    assert sms.body_text == (
        f"Ada Fabrics: order {order.order_number} is cancelled: payment not received. "
        f"Track: {SITE}/track/{order.order_number}"
    )


@pytest.mark.parametrize(
    ("status", "payment_status", "delivery_method"),
    [
        (OrderStatus.PENDING, PaymentStatus.PENDING, "delivery"),
        (OrderStatus.CONFIRMED, PaymentStatus.PAID, "delivery"),
        (OrderStatus.CONFIRMED, PaymentStatus.PENDING, "delivery"),
        (OrderStatus.SHIPPED, PaymentStatus.PAID, "pickup"),
        (OrderStatus.SHIPPED, PaymentStatus.PAID, "delivery"),
        (OrderStatus.DELIVERED, PaymentStatus.PAID, "delivery"),
        (OrderStatus.CANCELLED, PaymentStatus.PAID, "delivery"),
        (OrderStatus.CANCELLED, PaymentStatus.EXPIRED, "delivery"),
        (OrderStatus.CANCELLED, PaymentStatus.PENDING, "delivery"),
    ],
)
def test_every_sms_is_one_gsm7_segment_even_at_the_longest(
    run, settings, status, payment_status, delivery_method
):
    settings.SITE_URL = "https://shops.agm-store-builder.example.com.ng/x"  # 50 characters
    store = StoreFactory(display_name="Ọlọ́run\u2019s \u201cFinest\u201d Fabrics & Tailoring 🧵 Ltd")
    order = OrderFactory(
        store=store,
        order_number="AGM-7K3M9QX2",
        total=D("9999999999.99"),
        status=status,
        payment_status=payment_status,
        customer_address={"delivery_method": delivery_method},
        customer_email=None,
    )

    if status == OrderStatus.PENDING:
        run(messages.send_order_placed, order_id=order.pk)
    else:
        run(messages.send_order_status, order_id=order.pk, status=status)

    [sms] = DeliveryLog.objects.filter(channel="sms")
    assert len(sms.body_text) <= 160
    assert all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in sms.body_text)
    assert sms_segments(sms.body_text) == 1
    assert sms.body_text.startswith('Olorun\'s "Finest": ')
    assert "order AGM-7K3M9QX2" in sms.body_text
    assert sms.body_text.endswith(f"Track: {settings.SITE_URL}/track/AGM-7K3M9QX2")


def test_gsm7_keeps_what_it_can_and_clips():
    assert messages.gsm7("Chidí\u2019s  Café \u2013 ₦ 🎉", max_length=40) == "Chidi's Café - N"
    assert messages.gsm7("Ọja Ìbílẹ̀", max_length=40) == "Oja Ibile"
    assert messages.gsm7("Mama Put Kitchen and Grill", max_length=20) == "Mama Put Kitchen and"
    assert messages.gsm7("Mama Put Kitchen", max_length=8) == "Mama Put"
    assert messages.gsm7("A" * 30, max_length=24) == "A" * 24


def test_money_is_formatted_as_strings():
    assert messages.naira(D("12500")) == "₦12,500"
    assert messages.naira(D("0.005")) == "₦0.01"
    assert messages.naira_sms(D("1234567.5")) == "NGN 1,234,567.50"


def test_an_order_without_a_merchant_email_still_reaches_the_bell(run):
    merchant = UserFactory(email="")
    order = OrderFactory(store=StoreFactory(user=merchant), customer_email=None)

    run(messages.send_order_placed, order_id=order.pk)

    assert [(channel, template) for _key, channel, template, *_ in logs()] == [("sms", "order_confirmed")]
    assert Notification.objects.filter(user=merchant).count() == 1


# --- The storefront shows stock as orders take and give it back ---


def product_page(client, store, product) -> str:
    response = client.get(f"/{store.username}/p/{product.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_storefront_shows_sold_out_after_the_last_units_are_ordered(
    client, place, shop, kaftan, run
):
    assert "Sold out" not in product_page(client, shop, kaftan)
    assert "Sold out" not in client.get(f"/{shop.username}").content.decode()
    # served from the cache now
    assert "Sold out" not in product_page(client, shop, kaftan)

    order = place(lines=[{"product_id": kaftan.pk, "quantity": 3, "variant_selection": {"Size": "M"}}])

    assert "Sold out" in product_page(client, shop, kaftan)
    assert "Sold out" in client.get(f"/{shop.username}").content.decode()

    run(order_cancel, order=order)

    assert "Sold out" not in product_page(client, shop, kaftan)
    assert "Sold out" not in client.get(f"/{shop.username}").content.decode()


def test_an_expired_payment_puts_the_product_back_on_the_cached_storefront(client, place, shop, kaftan, run):
    product_page(client, shop, kaftan)
    order = place(lines=[{"product_id": kaftan.pk, "quantity": 3, "variant_selection": {"Size": "M"}}])
    assert "Sold out" in product_page(client, shop, kaftan)
    assert "Sold out" in product_page(client, shop, kaftan)  # served from the cache now

    run(order_expire_payment, order=order)

    assert "Sold out" not in product_page(client, shop, kaftan)
