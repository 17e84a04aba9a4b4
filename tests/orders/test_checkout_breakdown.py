"""Checkout shows the whole bill before the order is placed, and the order is placed at exactly
that figure (orders.pricing.checkout_totals serves both); the LGA list follows the state."""

import re
from decimal import Decimal as D

import pytest

from orders import geography
from orders.models import Order
from tests.factories import ProductFactory
from tests.orders.factories import CouponFactory, DeliveryRateFactory, DeliverySettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client, store):
    DeliverySettingsFactory(store=store, default_fee=D("1000.00"))
    DeliveryRateFactory(store=store, state="Lagos", lga="", fee=D("2000.00"))
    DeliveryRateFactory(store=store, state="Lagos", lga="Ikeja", fee=D("1250.50"))
    CouponFactory(store=store, code="TENOFF", value=D("10.00"))
    product = ProductFactory(store=store, name="Adire fabric", price=D("4333.35"), stock_quantity=10)
    client.post(f"/{store.username}/cart", {"action": "add", "product_id": product.pk, "quantity": 3})
    return store


def choices(client, store, **changes):
    token = client.get(f"/{store.username}/checkout").context["form"]["token"].value()
    return {
        "name": "Ada Obi",
        "phone": "08031234567",
        "delivery_method": "delivery",
        "address": "12 Allen Avenue",
        "state": "Lagos",
        "lga": "Ikeja",
        "coupon": "tenoff",
        "token": token,
        **changes,
    }


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]+)<', html))


def shown_total(html: str) -> str:
    return re.search(r'name="shown_total" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("bearer", ["merchant", "customer"])
def test_the_total_shown_before_placing_is_the_total_charged(client, shop, settings, bearer):
    settings.AGM_FEE_BEARER = bearer
    data = choices(client, shop)

    # no JavaScript: "Update total" gives the breakdown for the choices made
    page = client.post(f"/{shop.username}/checkout", {**data, "action": "update"}).content.decode()
    # with htmx: the partial gives the same figures
    partial = client.post(f"/{shop.username}/checkout/quote", data, HTTP_HX_REQUEST="true").content.decode()

    fee = {"customer": {"fee": "₦325"}, "merchant": {}}[bearer]
    total = {"customer": "₦13,275.54", "merchant": "₦12,950.54"}[bearer]
    expected = {
        "subtotal": "₦13,000.05",
        "discount": "\u2212₦1,300.01",  # a minus sign
        "delivery": "₦1,250.50",
        **fee,
        "total": total,
    }
    assert figures(page) == figures(partial) == expected
    assert Order.objects.count() == 0  # showing the total places nothing

    response = client.post(f"/{shop.username}/checkout", {**data, "shown_total": shown_total(page)})

    assert response.status_code == 302
    order = Order.objects.get()
    assert f"₦{order.total:,.2f}" == total
    assert (order.subtotal, order.discount, order.shipping_fee) == (D("13000.05"), D("1300.01"), D("1250.50"))


def test_a_fee_changed_after_it_was_shown_places_nothing_and_shows_the_new_total(client, shop):
    data = choices(client, shop)
    page = client.post(f"/{shop.username}/checkout", {**data, "action": "update"}).content.decode()
    shop.delivery_rates.filter(lga="Ikeja").update(fee=D("3000.00"))

    response = client.post(f"/{shop.username}/checkout", {**data, "shown_total": shown_total(page)})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The total is now ₦14,700.04: check the breakdown and place the order again."
    ]
    assert figures(response.content.decode())["total"] == "₦14,700.04"
    assert Order.objects.count() == 0


def test_pickup_and_a_bad_coupon_are_reflected_before_placing(client, shop):
    data = choices(client, shop, delivery_method="pickup", coupon="NOPE")
    html = client.post(f"/{shop.username}/checkout/quote", data, HTTP_HX_REQUEST="true").content.decode()

    assert figures(html) == {"subtotal": "₦13,000.05", "delivery": "Free", "total": "₦13,000.05"}
    assert "There is no coupon NOPE in this store." in html


def test_delivery_without_a_state_asks_for_it_and_promises_no_total(client, shop):
    html = client.get(f"/{shop.username}/checkout").content.decode()

    assert figures(html)["delivery"] == "Choose your state"
    assert "Total before delivery" in html
    assert 'name="shown_total"' not in html


def test_the_lga_select_offers_the_chosen_states_lgas(client, shop):
    # without a state (and without JavaScript): every LGA, grouped by state
    html = client.get(f"/{shop.username}/checkout").content.decode()
    assert html.count("<optgroup") == 37

    # the state chosen ("Update total", or a failed submit): that state's LGAs only
    html = client.post(
        f"/{shop.username}/checkout", {**choices(client, shop, state="Kano", lga=""), "action": "update"}
    ).content.decode()
    select = re.search(r'<select name="lga".*?</select>', html, re.S).group(0)
    assert "<optgroup" not in select
    assert select.count("<option") == len(geography.lgas_by_state()["Kano"]) + 1
    assert '<option value="Ajingi">' in select and '<option value="Ikeja">' not in select

    # with htmx: changing the state swaps in its LGAs beside the new breakdown
    partial = client.post(
        f"/{shop.username}/checkout/quote",
        {**choices(client, shop, state="Kano", lga=""), "lga_for": "Lagos"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'id="lga-field" hx-swap-oob="true"' in partial
    assert partial.count("<option") == len(geography.lgas_by_state()["Kano"]) + 1
    assert '<input type="hidden" name="lga_for" value="Kano">' in partial
    # another field changing leaves the LGA select alone
    partial = client.post(
        f"/{shop.username}/checkout/quote",
        {**choices(client, shop), "lga_for": "Lagos"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "lga-field" not in partial
