"""Order on WhatsApp (storefront) and WhatsApp the customer (dashboard)."""

from decimal import Decimal
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.test import Client

from catalog.models import Product
from orders.models import Order, OrderChannel, OrderSource
from orders.services import WhatsAppOrderingOff, order_place_on_whatsapp
from payments.models import Payment
from stores.models import WhatsAppOrdering
from stores.services import StoreInvalid, store_whatsapp_ordering_set
from tests.factories import ProductFactory, StoreFactory
from tests.orders.test_concurrency import run_concurrently

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def merchant_client(merchant):
    client = Client()
    client.force_login(merchant)
    return client


@pytest.fixture
def other_merchant_client(other_merchant):
    client = Client()
    client.force_login(other_merchant)
    return client


@pytest.fixture
def wa_store(merchant):
    store = StoreFactory(user=merchant, display_name="Ada Shoes", social_links={"whatsapp": "+2348031234567"})
    store_whatsapp_ordering_set(user=merchant, store_id=store.pk, enabled=True)
    return store


def _text(url: str) -> str:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/2348031234567")
    return parse_qs(parts.query)["text"][0]


def test_turning_it_on_needs_a_whatsapp_number(merchant):
    store = StoreFactory(user=merchant, social_links={})
    with pytest.raises(StoreInvalid) as error:
        store_whatsapp_ordering_set(user=merchant, store_id=store.pk, enabled=True)
    assert error.value.errors == {
        "whatsapp": ["Add the store's WhatsApp number in its settings before taking orders on WhatsApp."]
    }
    assert not WhatsAppOrdering.objects.exists()


def test_off_by_default_the_product_page_keeps_only_the_chat_link(client, merchant):
    store = StoreFactory(user=merchant, social_links={"whatsapp": "+2348031234567"})
    product = ProductFactory(store=store)
    text = client.get(f"/{store.username}/p/{product.pk}").content.decode()
    assert "formaction=" not in text
    assert text.count("Order on WhatsApp") == 1
    with pytest.raises(WhatsAppOrderingOff):
        order_place_on_whatsapp(
            store=store,
            customer={"name": "Ada", "phone": "08031234567"},
            lines=[{"product_id": product.pk, "quantity": 1}],
        )
    assert not Order.objects.exists()


def test_product_page_to_whatsapp_places_one_pending_order_with_the_exact_message(client, wa_store):
    product = ProductFactory(
        store=wa_store,
        name="Ankara Dress",
        price=Decimal("15000.50"),
        stock_quantity=4,
        variations=[{"name": "Size", "options": ["S", "M"]}],
    )
    page = client.get(f"/{wa_store.username}/p/{product.pk}").content.decode()
    assert f'formaction="/{wa_store.username}/whatsapp"' in page
    assert page.count("Order on WhatsApp") == 1  # the plain chat link gives way to the order button

    step_one = client.post(
        f"/{wa_store.username}/whatsapp",
        {"origin": "product", "product_id": product.pk, "quantity": "2", "option-Size": "M"},
    )
    assert step_one.status_code == 200
    html = step_one.content.decode()
    assert "2 \u00d7 Ankara Dress (Size: M): ₦15,000.50 each" in html
    assert not Order.objects.exists()

    form = {
        "step": "place",
        "origin": "product",
        "product_id": product.pk,
        "quantity": "2",
        "option-Size": "M",
        "token": "tok-1",
        "name": "Chioma Eze",
        "phone": "0803 111 2222",
        "delivery_method": "pickup",
    }
    response = client.post(f"/{wa_store.username}/whatsapp", form)
    assert response.status_code == 303
    order = Order.objects.get()
    payment = Payment.objects.get(order=order)
    assert order.total == Decimal("30001.00")
    assert OrderSource.objects.get(order=order).channel == OrderChannel.WHATSAPP
    assert _text(response["Location"]) == (
        f"Hello Ada Shoes, I have placed order {order.order_number}:\n"
        "2 x Ankara Dress (Size: M): ₦30,001\n"
        "Pickup from the store\n"
        "Total: ₦30,001\n"
        f"Pay by bank transfer: {SITE}/{wa_store.username}/pay/{payment.payment_reference}\n"
        f"Track: {SITE}/track/{order.order_number}"
    )
    product.refresh_from_db()
    assert product.stock_quantity == 2

    # the same form again (a double tap, a reload): the same order, stock taken once
    again = client.post(f"/{wa_store.username}/whatsapp", form)
    assert again.status_code == 303 and again["Location"] == response["Location"]
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock_quantity == 2


def test_cart_page_orders_the_whole_cart_on_whatsapp_and_empties_it(client, wa_store, shopper):
    first = ProductFactory(store=wa_store, name="Sandals", price=Decimal("4000"))
    second = ProductFactory(store=wa_store, name="Belt", price=Decimal("1500"))
    for product in (first, second):
        client.post(
            f"/{wa_store.username}/cart", {"action": "add", "product_id": product.pk, "quantity": "1"}
        )
    cart = client.get(f"/{wa_store.username}/cart").content.decode()
    assert f'action="/{wa_store.username}/whatsapp"' in cart
    response = client.post(
        f"/{wa_store.username}/whatsapp",
        {"step": "place", "origin": "cart", "token": "tok-cart", "delivery_method": "delivery", **shopper},
    )
    assert response.status_code == 303
    order = Order.objects.get()
    text = _text(response["Location"])
    assert "1 x Sandals: ₦4,000\n1 x Belt: ₦1,500\nDelivery to Ikeja, Lagos: ₦0\nTotal: ₦5,500\n" in text
    assert client.get(f"/{wa_store.username}/cart").context["lines"] == []
    assert order.order_items.count() == 2


def test_bad_details_show_the_error_and_place_nothing(client, wa_store):
    product = ProductFactory(store=wa_store, stock_quantity=3)
    response = client.post(
        f"/{wa_store.username}/whatsapp",
        {
            "step": "place",
            "origin": "product",
            "product_id": product.pk,
            "quantity": "1",
            "token": "tok-2",
            "name": "Chioma",
            "phone": "123",
            "delivery_method": "pickup",
        },
    )
    assert response.status_code == 200
    assert "Enter a valid Nigerian mobile number" in response.content.decode()
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock_quantity == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_makes_one_order_and_takes_stock_once(merchant):
    store = StoreFactory(user=merchant, display_name="Ada Shoes", social_links={"whatsapp": "+2348031234567"})
    store_whatsapp_ordering_set(user=merchant, store_id=store.pk, enabled=True)
    product = ProductFactory(store=store, stock_quantity=5)
    results = run_concurrently(
        6,
        lambda _i: order_place_on_whatsapp(
            store=store,
            customer={"name": "Chioma Eze", "phone": "08031112222"},
            lines=[{"product_id": product.pk, "quantity": 2}],
            idempotency_key="whatsapp:same-form",
        ),
    )
    placed = [result for result in results if not isinstance(result, Exception)]
    assert len(placed) == 6, results
    assert {result.order.pk for result in placed} == {Order.objects.get().pk}
    assert len({result.whatsapp_url for result in placed}) == 1
    assert Product.objects.get(pk=product.pk).stock_quantity == 3
    assert OrderSource.objects.count() == 1


def test_dashboard_marks_whatsapp_orders(merchant_client, wa_store):
    product = ProductFactory(store=wa_store)
    placed = order_place_on_whatsapp(
        store=wa_store,
        customer={"name": "Chioma Eze", "phone": "08031112222"},
        lines=[{"product_id": product.pk, "quantity": 1}],
    )
    listing = merchant_client.get("/dashboard/orders/").content.decode()
    assert f'{placed.order.order_number}</a> <span class="badge badge--active">WhatsApp</span>' in listing
    detail = merchant_client.get(f"/dashboard/orders/{placed.order.pk}").content.decode()
    assert "Ordered on WhatsApp" in detail and "WhatsApp the customer" in detail


def test_whatsapp_the_customer_prefills_templates_and_opens_the_edited_text(merchant_client, wa_store):
    product = ProductFactory(store=wa_store, price=Decimal("2500"))
    order = order_place_on_whatsapp(
        store=wa_store,
        customer={"name": "Chioma Eze", "phone": "08031112222"},
        lines=[{"product_id": product.pk, "quantity": 1}],
    ).order
    reference = Payment.objects.get(order=order).payment_reference
    page = merchant_client.get(f"/dashboard/orders/{order.pk}/whatsapp")
    assert page.context["chosen"].key == "payment_reminder"
    assert page.context["form"].initial["text"] == (
        f"Hello Chioma, this is Ada Shoes. Your order {order.order_number} (₦2,500) is waiting for payment. "
        f"Pay by bank transfer here: {SITE}/{wa_store.username}/pay/{reference}"
    )
    assert [message.key for message in page.context["templates"]] == [
        "payment_reminder",
        "shipped",
        "ready_for_pickup",
        "delivered",
    ]
    pickup = merchant_client.get(f"/dashboard/orders/{order.pk}/whatsapp?message=ready_for_pickup")
    assert (
        pickup.context["form"]
        .initial["text"]
        .endswith("is ready for pickup. Bring the order number when you come.")
    )
    opened = merchant_client.get(
        f"/dashboard/orders/{order.pk}/whatsapp/open", {"text": "See you at 5 & bring cash"}
    )
    assert opened.status_code == 302
    assert opened["Location"] == "https://wa.me/2348031112222?text=" + quote(
        "See you at 5 & bring cash", safe=""
    )


def test_another_merchants_order_is_not_found(other_merchant_client, wa_store):
    product = ProductFactory(store=wa_store)
    order = order_place_on_whatsapp(
        store=wa_store,
        customer={"name": "Chioma Eze", "phone": "08031112222"},
        lines=[{"product_id": product.pk, "quantity": 1}],
    ).order
    assert other_merchant_client.get(f"/dashboard/orders/{order.pk}/whatsapp").status_code == 404
    assert other_merchant_client.get(f"/dashboard/orders/{order.pk}/whatsapp/open?text=hi").status_code == 404


def test_api_order_on_whatsapp_returns_the_order_and_the_link(api_client, wa_store):
    product = ProductFactory(store=wa_store, name="Belt", price=Decimal("1500.50"), stock_quantity=3)
    body = {
        "storeUsername": wa_store.username,
        "customerName": "Chioma Eze",
        "customerPhone": "08031112222",
        "deliveryMethod": "pickup",
        "items": [{"productId": product.pk, "quantity": 2}],
    }
    response = api_client.post("/api/v1/orders/whatsapp", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201
    data = response.json()["data"]
    order = Order.objects.get()
    assert data["order"]["orderNumber"] == order.order_number
    assert data["order"]["total"] == "3001.00"
    assert data["order"]["payment"]["payUrl"] in _text(data["whatsappUrl"])
    assert OrderSource.objects.get(order=order).channel == "whatsapp"
    again = api_client.post("/api/v1/orders/whatsapp", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["data"]["whatsappUrl"] == data["whatsappUrl"]
    assert Order.objects.count() == 1


def test_api_order_on_whatsapp_refused_when_the_store_has_it_off(api_client, merchant):
    store = StoreFactory(user=merchant, social_links={"whatsapp": "+2348031234567"})
    product = ProductFactory(store=store)
    response = api_client.post(
        "/api/v1/orders/whatsapp",
        {
            "storeUsername": store.username,
            "customerName": "Chioma Eze",
            "customerPhone": "08031112222",
            "deliveryMethod": "pickup",
            "items": [{"productId": product.pk, "quantity": 1}],
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "whatsapp_ordering_off"
    assert not Order.objects.exists()


def test_api_message_templates_for_the_merchant(merchant_api, other_merchant_api, wa_store):
    product = ProductFactory(store=wa_store)
    order = order_place_on_whatsapp(
        store=wa_store,
        customer={"name": "Chioma Eze", "phone": "08031112222"},
        lines=[{"product_id": product.pk, "quantity": 1}],
    ).order
    response = merchant_api.get(f"/api/v1/orders/{order.pk}/whatsapp-messages")
    messages = response.json()["data"]["messages"]
    assert [message["key"] for message in messages] == [
        "payment_reminder",
        "shipped",
        "ready_for_pickup",
        "delivered",
    ]
    assert messages[1]["whatsappUrl"].startswith("https://wa.me/2348031112222?text=Hello%20Chioma")
    assert other_merchant_api.get(f"/api/v1/orders/{order.pk}/whatsapp-messages").status_code == 404
