"""The checkout offers pay on delivery where the store takes it, shows the deposit and the
balance, and places the order at exactly the deposit shown (htmx and no JavaScript alike)."""

import re
from decimal import Decimal as D

import pytest

from orders.models import Order, OrderPaymentPlan, PodSettings
from payments.models import Payment
from tests.orders import test_checkout_breakdown as breakdown
from tests.orders.test_checkout_breakdown import choices, figures, shown_total
from tests.payments.pod_helpers import pod_store

pytestmark = pytest.mark.django_db
shop = breakdown.shop  # its shop fixture: a product, delivery rates and a coupon in the cart

# the shop of test_checkout_breakdown: total ₦12,950.54; 30 % of it is 3,885.162 → ₦3,885.16
DEPOSIT, BALANCE = "₦3,885.16", "₦9,065.38"


@pytest.fixture
def pod_shop(shop):
    return pod_store(shop)


def shown_deposit(html: str) -> str:
    return re.search(r'name="shown_deposit" value="([^"]+)"', html).group(1)


def test_the_deposit_shown_is_the_deposit_charged(client, pod_shop):
    data = choices(client, pod_shop, payment_plan="pay_on_delivery")
    page = client.post(f"/{pod_shop.username}/checkout", {**data, "action": "update"}).content.decode()
    partial = client.post(
        f"/{pod_shop.username}/checkout/quote", data, HTTP_HX_REQUEST="true"
    ).content.decode()
    for html in (page, partial):
        assert f"Pay on delivery — deposit {DEPOSIT} now, {BALANCE} on delivery" in html
        assert figures(html)["deposit"] == DEPOSIT and figures(html)["balance"] == BALANCE
        assert f"Place order · deposit {DEPOSIT}" in html
        assert "the whole deposit is refunded" in html
    assert Order.objects.count() == 0

    response = client.post(
        f"/{pod_shop.username}/checkout",
        {**data, "shown_total": shown_total(page), "shown_deposit": shown_deposit(page)},
    )

    assert response.status_code == 302
    plan = OrderPaymentPlan.objects.get()
    assert (plan.deposit_amount, plan.balance_amount) == (D("3885.16"), D("9065.38"))
    assert plan.deposit_amount + plan.balance_amount == plan.order.total
    payment = Payment.objects.get()
    assert payment.amount == D("3885.16")
    assert response["Location"] == f"/{pod_shop.username}/pay/{payment.payment_reference}"


def test_pay_now_stays_the_default(client, pod_shop):
    data = choices(client, pod_shop)
    page = client.post(f"/{pod_shop.username}/checkout", {**data, "action": "update"}).content.decode()
    assert 'value="pay_now" checked' in page
    assert "deposit" not in figures(page)
    client.post(f"/{pod_shop.username}/checkout", {**data, "shown_total": shown_total(page)})
    assert OrderPaymentPlan.objects.count() == 0
    assert Payment.objects.get().amount == D("12950.54")


def test_a_state_that_does_not_qualify_is_told_and_cannot_place_pay_on_delivery(client, pod_shop):
    data = choices(client, pod_shop, state="Kano", lga="Kano Municipal", payment_plan="pay_on_delivery")
    page = client.post(f"/{pod_shop.username}/checkout", {**data, "action": "update"}).content.decode()
    assert "Pay on delivery is not offered where you are: pay now by transfer." in page
    assert 'value="pay_on_delivery"' not in page

    response = client.post(f"/{pod_shop.username}/checkout", {**data, "shown_total": shown_total(page)})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Pay on delivery is not offered where you are: pay now by transfer."
    ]
    assert (Order.objects.count(), OrderPaymentPlan.objects.count(), Payment.objects.count()) == (0, 0, 0)


def test_a_deposit_changed_after_it_was_shown_places_nothing(client, pod_shop):
    data = choices(client, pod_shop, payment_plan="pay_on_delivery")
    page = client.post(f"/{pod_shop.username}/checkout", {**data, "action": "update"}).content.decode()
    PodSettings.objects.filter(store=pod_shop).update(deposit_value=D("40"))

    response = client.post(
        f"/{pod_shop.username}/checkout",
        {**data, "shown_total": shown_total(page), "shown_deposit": shown_deposit(page)},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["The deposit is now ₦5,180.22, not ₦3,885.16."]
    assert Order.objects.count() == 0


def test_a_store_without_pay_on_delivery_shows_no_choice(client, shop):
    data = choices(client, shop)
    page = client.post(f"/{shop.username}/checkout", {**data, "action": "update"}).content.decode()
    assert "How to pay" not in page
