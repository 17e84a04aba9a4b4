import datetime
import re

import pytest
from django.utils import timezone

from catalog.models import Product
from orders.models import IdempotencyKey, Order, OrderItem
from orders.services import InvalidCheckout, order_place
from stores.models import StoreTemplate
from tests.stores.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

SHOPPER = {"name": "Ngozi", "phone": "0803 123 4567"}


@pytest.fixture
def store():
    return StoreFactory(template_id=StoreTemplate.BOOKINGS)


@pytest.fixture
def service(store):
    return ProductFactory(store=store, name="Braids", price="15000.00", dimensions={"duration_minutes": 120})


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def booking_form(client, store, service) -> dict:
    text = client.get(f"/{store.username}/book?service={service.pk}").content.decode()
    assert f'<option value="{service.pk}" selected>Braids</option>' in text
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    return {
        "service": service.pk,
        "date": tomorrow(),
        "slot": "10:00",
        "name": "Ngozi",
        "phone": "0803 123 4567",
        "email": "ngozi@example.com",
        "token": token,
    }


def test_a_booking_becomes_one_pickup_order_with_the_slot_recorded(client, store, service):
    response = client.post(f"/{store.username}/book", booking_form(client, store, service))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/{store.username}/orders/{order.order_number}"
    assert (order.store, order.customer_name, order.customer_phone, order.customer_email) == (
        store,
        "Ngozi",
        "+2348031234567",
        "ngozi@example.com",
    )
    assert order.customer_address["delivery_method"] == "pickup"
    assert (order.shipping_fee, order.subtotal) == (0, 15000)
    item = OrderItem.objects.get()
    assert (item.product_id, item.quantity) == (service.pk, 1)
    assert item.variant_selection == {"Date": tomorrow(), "Time": "10:00"}
    assert order.items[0]["variant_selection"] == {"Date": tomorrow(), "Time": "10:00"}

    placed = client.get(response["Location"]).content.decode()
    assert f"(Date: {tomorrow()})" in placed and "(Time: 10:00)" in placed and "+2348031234567" in placed


def test_a_double_submitted_booking_is_one_order(client, store, service):
    form = booking_form(client, store, service)
    first = client.post(f"/{store.username}/book", form)
    second = client.post(f"/{store.username}/book", form)

    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=service.pk).stock_quantity == 9


def test_a_reused_form_with_other_details_is_refused_with_a_fresh_form(client, store, service):
    form = booking_form(client, store, service)
    client.post(f"/{store.username}/book", form)

    response = client.post(f"/{store.username}/book", {**form, "slot": "11:00"})

    text = response.content.decode()
    assert response.status_code == 400
    assert "This form was already used for a booking." in text
    assert f'name="token" value="{form["token"]}"' not in text
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "not-a-date"}, "date", "Enter a valid date."),
        ({"date": "2020-01-01"}, "date", "Choose today or a later date."),
        ({"date": "2999-01-01"}, "date", "Bookings open up to 90 days ahead."),
        ({"slot": "20:00"}, "slot", "Select a valid choice. 20:00 is not one of the available choices."),
        ({"slot": "07:30"}, "slot", "Select a valid choice. 07:30 is not one of the available choices."),
        ({"phone": "12"}, "phone", "Enter a valid Nigerian mobile number"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_a_bad_booking_is_refused_clearly_and_writes_nothing(client, store, service, change, field, message):
    response = client.post(f"/{store.username}/book", {**booking_form(client, store, service), **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'name="{field}"' in response.content.decode()
    assert (Order.objects.count(), IdempotencyKey.objects.count()) == (0, 0)
    assert Product.objects.get(pk=service.pk).stock_quantity == 10


def test_a_slot_that_has_passed_today_is_refused(client, store, service):
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/{store.username}/book", {**booking_form(client, store, service), "date": today, "slot": "00:00"}
    )

    assert response.status_code == 400
    assert Order.objects.count() == 0


def test_a_sold_out_service_is_refused_with_the_orders_message(client, store, service):
    form = booking_form(client, store, service)
    Product.objects.filter(pk=service.pk).update(stock_quantity=0)

    response = client.post(f"/{store.username}/book", form)

    assert response.status_code == 400
    assert "Braids is sold out." in response.content.decode()
    assert Order.objects.count() == 0


def _book(store, product, slot, **line):
    return order_place(
        store=store,
        customer=SHOPPER,
        lines=[{"product_id": product.pk, "quantity": 1, **line}],
        delivery_method="pickup",
        booking_slot=slot,
    )


def test_order_place_records_the_slot_beside_the_services_own_options(store):
    service = ProductFactory(store=store, variations=[{"name": "Length", "options": ["Short", "Long"]}])

    order = _book(
        store, service, {"Date": "2026-12-01", "Time": "10:00"}, variant_selection={"Length": "Long"}
    )

    assert order.order_items.get().variant_selection == {
        "Length": "Long",
        "Date": "2026-12-01",
        "Time": "10:00",
    }
    with pytest.raises(InvalidCheckout, match="Choose a Length"):
        _book(store, service, {"Date": "2026-12-01", "Time": "10:00"})
    assert Order.objects.count() == 1


def test_without_the_booking_argument_a_slot_is_still_an_unknown_option(store, service):
    with pytest.raises(InvalidCheckout, match="has no option 'Date'"):
        order_place(
            store=store,
            customer=SHOPPER,
            lines=[{"product_id": service.pk, "quantity": 1, "variant_selection": {"Date": "2026-12-01"}}],
            delivery_method="pickup",
        )
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("slot", "quantity", "message"),
    [
        ({"Date": "2026-12-01"}, 1, "Choose a date and a time."),
        ({"Date": "2026-12-01", "Time": "10:00", "Room": "2"}, 1, "Choose a date and a time."),
        ({"Date": "1 Dec", "Time": "10:00"}, 1, "Choose a valid date."),
        ({"Date": 20261201, "Time": "10:00"}, 1, "Choose a valid date."),
        ({"Date": "2026-12-01", "Time": "25:00"}, 1, "Choose a valid time."),
        ({"Date": "2026-12-01", "Time": "10:00"}, 2, "A booking is for one service at a time."),
    ],
)
def test_order_place_refuses_a_malformed_slot(store, service, slot, quantity, message):
    with pytest.raises(InvalidCheckout, match=message):
        _book(store, service, slot, quantity=quantity)
    assert Order.objects.count() == 0


def test_order_place_takes_bookings_only_for_a_bookings_store():
    shop = StoreFactory(template_id=StoreTemplate.PRODUCTS)
    product = ProductFactory(store=shop)

    with pytest.raises(InvalidCheckout, match=r"This store does not take bookings\."):
        _book(shop, product, {"Date": "2026-12-01", "Time": "10:00"})
    assert Order.objects.count() == 0
