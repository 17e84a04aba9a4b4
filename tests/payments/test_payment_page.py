from decimal import Decimal
from urllib.parse import unquote

import pytest

from orders.models import OrderStatus, PaymentStatus
from payments import services
from payments.models import MonnifyWebhookEvent, Payment
from tests.factories import OrderFactory, StoreFactory
from tests.payments.helpers import open_payment
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(store):
    return OrderFactory(store=store, total=Decimal("12345.50"))


def page_url(payment, suffix=""):
    return f"/{payment.order.store.username}/pay/{payment.payment_reference}{suffix}"


def test_page_shows_the_transfer_details(client, monnify, order):
    payment = open_payment(order=order)
    response = client.get(page_url(payment))
    assert response.status_code == 200
    html = response.content.decode()
    assert payment.account_number in html
    assert "Providus Bank" in html
    assert "₦12,345.50" in html
    assert 'hx-trigger="every 5s"' in html
    assert "Refresh status" in html
    assert "Pay by card or USSD" in html
    assert "Simulate transfer" not in html  # real keys are configured in this test


def test_htmx_poll_returns_only_the_status_block(client, monnify, order):
    payment = open_payment(order=order)
    response = client.get(page_url(payment), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith("<section")
    assert "<html" not in html


def test_page_of_another_store_is_404(client, monnify, order):
    payment = open_payment(order=order)
    other = StoreFactory()
    assert client.get(f"/{other.username}/pay/{payment.payment_reference}").status_code == 404
    assert client.get(f"/{order.store.username}/pay/AGM-UNKNOWN").status_code == 404


def test_page_refresh_catches_a_lost_webhook(client, monnify, order):
    payment = open_payment(order=order)
    monnify.pay_full(payment.payment_reference)
    html = client.get(page_url(payment)).content.decode()
    assert "Payment received" in html
    assert "hx-trigger" not in html
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_page_requery_is_rate_limited(client, monnify, order):
    payment = open_payment(order=order)
    for _ in range(3):
        client.get(page_url(payment))
    assert monnify.count("GET", "/api/v2/transactions/") == 1


def test_monnify_down_offers_try_again(client, monnify, order):
    monnify.stop()
    payment = open_payment(order=order)
    html = client.get(page_url(payment)).content.decode()
    assert "We could not reach the payment provider" in html
    assert "Try again" in html
    response = client.post(page_url(payment, "/retry"))
    assert response.status_code == 302
    assert "We still cannot reach" in client.get(page_url(payment)).content.decode()
    monnify.start()
    client.post(page_url(payment, "/retry"))
    payment.refresh_from_db()
    assert len(payment.account_number) == 10
    assert payment.account_number in client.get(page_url(payment)).content.decode()


def test_card_link_redirects_to_monnify_checkout(client, monnify, order):
    payment = open_payment(order=order)
    response = client.get(page_url(payment, "/card"))
    assert response.status_code == 302
    assert unquote(response["Location"]) == payment.metadata["checkout_url"]


def test_simulate_is_unavailable_with_real_keys(client, monnify, order):
    payment = open_payment(order=order)
    assert client.post(page_url(payment, "/simulate")).status_code == 404
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_embedded_simulator_walks_the_whole_flow(live_server, settings, client):
    settings.MONNIFY_API_KEY = ""  # no keys: the built-in simulator answers
    # Its webhook goes where settings say, whatever Host the shopper's request named.
    settings.MONNIFY_SIMULATOR_WEBHOOK_URL = f"{live_server.url}/api/v1/webhooks/monnify"
    order = OrderFactory(store=StoreFactory(), total=Decimal("7000.00"))
    payment = open_payment(order=order)
    assert len(payment.account_number) == 10
    assert "Simulate transfer" in client.get(page_url(payment)).content.decode()

    response = client.post(page_url(payment, "/simulate"), HTTP_HOST="attacker.example")
    assert response.status_code == 302

    wait_until(
        lambda: MonnifyWebhookEvent.objects.filter(status="processed").exists(),
        timeout=20,
        message="the simulator's webhook was not processed",
    )
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.PAID)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("button", "method"), [("card", "card"), ("ussd", "ussd")])
def test_the_simulator_plays_monnifys_hosted_page_for_card_and_ussd(
    live_server, settings, client, button, method
):
    settings.MONNIFY_API_KEY = ""
    settings.SITE_URL = live_server.url
    settings.MONNIFY_SIMULATOR_WEBHOOK_URL = f"{live_server.url}/api/v1/webhooks/monnify"
    order = OrderFactory(store=StoreFactory(), total=Decimal("7000.50"))
    payment = open_payment(order=order)
    to_monnify = client.get(page_url(payment, "/card"))
    checkout = unquote(to_monnify["Location"])
    assert checkout == f"{live_server.url}/simulator/monnify/checkout/{payment.monnify_reference}"

    page = client.get(checkout.removeprefix(live_server.url))
    assert page.status_code == 200
    assert f"Pay ₦7,000.50 by {'card' if button == 'card' else 'USSD'}" in page.content.decode()
    back = client.post(checkout.removeprefix(live_server.url), {"method": button})
    assert back["Location"] == (
        f"{live_server.url}{page_url(payment)}?paymentReference={payment.payment_reference}"
    )
    wait_until(
        lambda: Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID,
        timeout=20,
        message="the simulator's webhook did not mark the payment paid",
    )
    assert Payment.objects.get(pk=payment.pk).payment_method == method
    assert client.post(checkout.removeprefix(live_server.url), {"method": "cash"}).status_code == 400


def test_page_while_the_account_is_being_opened(client, monnify, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        payment = services.payment_create(order=order)
    html = client.get(page_url(payment)).content.decode()
    assert "Preparing your transfer account" in html
    assert 'hx-trigger="every 2s"' in html
    assert "Try again" not in html


def test_simulate_is_unavailable_when_the_simulator_is_off(client, settings, order, monnify):
    payment = open_payment(order=order)
    settings.MONNIFY_API_KEY = ""
    settings.MONNIFY_SIMULATOR = False
    assert client.post(page_url(payment, "/simulate")).status_code == 404
    assert "Simulate transfer" not in client.get(page_url(payment)).content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_without_keys_and_simulator_off_monnify_is_not_configured(settings):
    from payments.monnify import MonnifyAuthError, monnify_config

    settings.MONNIFY_API_KEY = ""
    settings.MONNIFY_SIMULATOR = False
    with pytest.raises(MonnifyAuthError, match="MONNIFY_SIMULATOR is off"):
        monnify_config()
