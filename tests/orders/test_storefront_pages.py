from decimal import Decimal as D

import pytest

from catalog.models import Product
from orders.models import Order
from tests.factories import ProductFactory, StoreFactory
from tests.orders.factories import DeliveryRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaftan(store):
    return ProductFactory(
        store=store,
        name="Kaftan",
        price=D("4000.00"),
        stock_quantity=3,
        variations=[{"name": "Size", "options": ["M", "L"]}],
    )


def checkout_data(client, store, **changes):
    page = client.get(f"/{store.username}/checkout")
    token = page.context["form"]["token"].value()
    return {
        "name": "Ada Obi",
        "phone": "08031234567",
        "email": "",
        "delivery_method": "delivery",
        "address": "12 Allen Avenue",
        "state": "Lagos",
        "lga": "Ikeja",
        "notes": "",
        "coupon": "",
        "token": token,
        **changes,
    }


def test_cart_add_update_remove(client, store, kaftan):
    url = f"/{store.username}/cart"
    response = client.post(url, {"action": "add", "product_id": kaftan.pk, "quantity": 2, "option-Size": "L"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert [(line.product.pk, line.quantity, line.variant_selection) for line in page.context["lines"]] == [
        (kaftan.pk, 2, {"Size": "L"})
    ]
    assert page.context["subtotal"] == D("8000.00")
    key = page.context["lines"][0].key
    client.post(url, {"action": "update", "key": key, "quantity": 5})
    page = client.get(url)
    assert page.context["lines"][0].problem == "Only 3 left in stock."
    assert page.context["blocked"] is True
    client.post(url, {"action": "remove", "key": key})
    assert client.get(url).context["lines"] == []


def test_cart_refuses_a_missing_option_and_a_foreign_product(client, store, kaftan):
    url = f"/{store.username}/cart"
    client.post(url, {"action": "add", "product_id": kaftan.pk, "quantity": 1})
    client.post(url, {"action": "add", "product_id": ProductFactory(store=StoreFactory()).pk, "quantity": 1})
    page = client.get(url)
    assert page.context["lines"] == []
    assert [str(m) for m in page.context["messages"]] == [
        "Choose a Size for Kaftan.",
        "This product is no longer available.",
    ]


def test_checkout_places_one_order_even_when_submitted_twice(client, store, kaftan):
    DeliveryRateFactory(store=store, state="Lagos", fee=D("2500.00"))
    client.post(
        f"/{store.username}/cart",
        {"action": "add", "product_id": kaftan.pk, "quantity": 1, "option-Size": "M"},
    )
    data = checkout_data(client, store)
    first = client.post(f"/{store.username}/checkout", data)
    order = Order.objects.get()
    assert first.status_code == 302
    payment = order.payments.get()
    # the shopper goes straight to the transfer details
    assert first["Location"] == f"/{store.username}/pay/{payment.payment_reference}"
    assert payment.amount == order.total
    assert (order.total, order.shipping_fee, order.customer_phone) == (
        D("6500.00"),
        D("2500.00"),
        "+2348031234567",
    )
    # the double click: the cart is empty now, but the same token must not place a second order
    client.post(
        f"/{store.username}/cart",
        {"action": "add", "product_id": kaftan.pk, "quantity": 1, "option-Size": "M"},
    )
    second = client.post(f"/{store.username}/checkout", data)
    assert second["Location"] == first["Location"]
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=kaftan.pk).stock_quantity == 2
    third = client.post(f"/{store.username}/checkout", data)
    assert third["Location"] == first["Location"]
    assert order.payments.count() == 1
    placed = client.get(f"/{store.username}/orders/{order.order_number}")
    assert placed.status_code == 200
    assert placed.context["show_customer"] is True
    assert "Ada Obi" in placed.content.decode()
    assert f'href="/{store.username}/pay/{payment.payment_reference}"' in placed.content.decode()


def test_checkout_shows_service_errors_and_writes_nothing(client, store, kaftan):
    client.post(
        f"/{store.username}/cart",
        {"action": "add", "product_id": kaftan.pk, "quantity": 1, "option-Size": "M"},
    )
    response = client.post(f"/{store.username}/checkout", checkout_data(client, store, lga="Nsukka"))
    assert response.status_code == 200
    # the form offers only Lagos's LGAs once Lagos is chosen
    assert response.context["form"].errors["lga"] == [
        "Select a valid choice. Nsukka is not one of the available choices."
    ]
    assert Order.objects.count() == 0
    response = client.post(f"/{store.username}/checkout", checkout_data(client, store, coupon="NOPE"))
    assert response.context["form"].non_field_errors() == ["There is no coupon NOPE in this store."]
    assert Order.objects.count() == 0


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client, store):
    response = client.get(f"/{store.username}/checkout")
    assert response["Location"] == f"/{store.username}/cart"


def test_checkout_lists_every_state_and_lga(client, store, kaftan):
    client.post(
        f"/{store.username}/cart",
        {"action": "add", "product_id": kaftan.pk, "quantity": 1, "option-Size": "M"},
    )
    html = client.get(f"/{store.username}/checkout").content.decode()
    assert html.count('<optgroup label="') == 37
    assert '<option value="Municipal Area Council">' in html


def test_order_placed_page_of_another_store_is_404(client, store, kaftan, shopper):
    from orders.services import order_place

    order = order_place(
        store=store,
        customer=shopper,
        lines=[{"product_id": kaftan.pk, "quantity": 1, "variant_selection": {"Size": "M"}}],
    )
    other = StoreFactory()
    assert client.get(f"/{other.username}/orders/{order.order_number}").status_code == 404
    page = client.get(f"/{store.username}/orders/{order.order_number}")
    assert page.status_code == 200 and page.context["show_customer"] is False
    assert "Ada Obi" not in page.content.decode()


def test_track_page_shows_customer_details_only_to_the_matching_contact(client, store, kaftan, shopper):
    from orders.services import order_place, order_transition

    order = order_place(
        store=store,
        customer=shopper,
        lines=[{"product_id": kaftan.pk, "quantity": 1, "variant_selection": {"Size": "M"}}],
    )
    order_transition(
        order=order, to_status="confirmed", note="Ring the owner", customer_message="Paid by transfer"
    )
    url = f"/track/{order.order_number}"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Paid by transfer" in html and "Confirmed" in html
    assert "Ada Obi" not in html and "Allen Avenue" not in html
    wrong = client.post(url, {"contact": "08099999999"})
    assert "Ada Obi" not in wrong.content.decode()
    assert wrong.context["form"].errors == {
        "contact": ["This is not the phone number or email on the order."]
    }
    for contact in ("+234 803 123 4567", "ADA@example.com"):
        right = client.post(url, {"contact": contact})
        assert right.context["show_customer"] is True
        assert "Ada Obi" in right.content.decode() and "Allen Avenue" in right.content.decode()
    assert client.get("/track/AGM-NOPE0000").status_code == 404


def test_track_page_stops_after_ten_wrong_guesses(client, store, kaftan, shopper):
    from orders.services import order_place

    order = order_place(
        store=store,
        customer=shopper,
        lines=[{"product_id": kaftan.pk, "quantity": 1, "variant_selection": {"Size": "M"}}],
    )
    url = f"/track/{order.order_number}"
    for guess in range(10):
        assert client.post(url, {"contact": f"0803000{guess:04d}"}).context["show_customer"] is False
    blocked = client.post(url, {"contact": "08031234567"})
    assert blocked.context["show_customer"] is False
    assert blocked.context["form"].errors == {
        "contact": ["Too many wrong phone numbers or emails for this order. Try again in an hour."]
    }
    assert "Ada Obi" not in blocked.content.decode()


def test_reusing_a_used_form_for_a_different_cart_asks_to_submit_again(client, store, kaftan):
    cart_url = f"/{store.username}/cart"
    client.post(cart_url, {"action": "add", "product_id": kaftan.pk, "quantity": 1, "option-Size": "M"})
    data = checkout_data(client, store)
    client.post(f"/{store.username}/checkout", data)
    client.post(cart_url, {"action": "add", "product_id": kaftan.pk, "quantity": 2, "option-Size": "L"})
    response = client.post(f"/{store.username}/checkout", data)
    assert response.status_code == 200
    assert response.context["form"]["token"].value() != data["token"]
    assert [str(m) for m in response.context["messages"]][-1] == (
        "This form was already used for an order. Check your details and submit again."
    )
    assert Order.objects.count() == 1
    client.post(f"/{store.username}/checkout", {**data, "token": response.context["form"]["token"].value()})
    assert Order.objects.count() == 2


def test_track_lookup_form_leads_to_the_order(client):
    assert client.get("/track/").status_code == 200
    response = client.get("/track/?number=agm-abcd1234")
    assert response["Location"] == "/track/AGM-ABCD1234"
