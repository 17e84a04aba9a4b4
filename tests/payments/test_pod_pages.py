"""Pay on delivery in the browser: the merchant's settings and order pages, and what the shopper's
receipt and the public verification page say after the deposit and after the balance."""

from decimal import Decimal

import pytest
from django.test import Client

from orders.models import OrderPaymentPlan, PodSettings
from payments import services, tasks
from payments.models import LedgerEntry, Payment, Receipt
from tests.factories import ProductFactory
from tests.payments.pod_helpers import place_pod, pod_store
from tests.payments.test_receipts import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit_paid(store, monnify):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    order, payment = place_pod(store, product)
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    return order


def owner(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_settings_page_saves_and_refuses_a_deposit_under_500_writing_nothing(store, merchant):
    client = owner(merchant)
    url = "/dashboard/orders/pay-on-delivery"
    assert "Take pay on delivery" in client.get(url).content.decode()
    base = {
        "enabled": "on",
        "states": ["Lagos"],
        "lgas": "Ogun / Abeokuta South",
        "deposit_kind": "fixed",
        "deposit_value": "499.99",
        "refund_policy": "keep_percent",
        "refund_keep_percent": "10",
    }
    refused = client.post(url, base)
    assert refused.status_code == 200
    assert "A fixed deposit is at least ₦500." in refused.content.decode()
    assert PodSettings.objects.count() == 0

    saved = client.post(url, {**base, "deposit_value": "1500"})
    assert saved.status_code == 302
    settings = PodSettings.objects.get(store=store)
    assert settings.areas == [{"state": "Lagos", "lga": ""}, {"state": "Ogun", "lga": "Abeokuta South"}]
    assert (settings.deposit_kind, settings.deposit_value, settings.refund_keep_percent) == (
        "fixed",
        Decimal("1500.00"),
        Decimal("10.00"),
    )
    page = client.get(url).content.decode()
    assert "the store keeps 10% of it and refunds the rest" in page

    bad_lga = client.post(url, {**base, "deposit_value": "1500", "lgas": "Ogun / Ikeja"})
    assert "Ikeja is not an LGA of Ogun." in bad_lga.content.decode()


def test_order_page_shows_the_deposit_and_records_the_balance(deposit_paid, merchant, monnify):
    client = owner(merchant)
    detail = f"/dashboard/orders/{deposit_paid.pk}"
    html = client.get(detail).content.decode()
    assert "Deposit paid, ₦7,000 due on delivery" in html
    assert "Collected ₦7,000 in cash" in html
    listing = client.get("/dashboard/orders/").content.decode()
    assert "Deposit paid, ₦7,000 due on delivery" in listing

    opened = client.post(f"/dashboard/payments/orders/{deposit_paid.pk}/balance/account")
    assert opened.status_code == 302 and opened["Location"] == detail
    balance = Payment.objects.get(order=deposit_paid, amount=Decimal("7000.00"))
    tasks.payment_open(balance.pk)
    balance.refresh_from_db()
    html = client.get(detail).content.decode()
    assert (
        f'transfer exactly <strong>₦7,000</strong> to <strong class="num">{balance.account_number}</strong>'
        in html
    )

    cash = client.post(f"/dashboard/payments/orders/{deposit_paid.pk}/balance/cash")
    assert cash.status_code == 302
    assert OrderPaymentPlan.objects.get(order=deposit_paid).balance_method == "cash"
    assert "Pay on delivery: paid" in client.get(detail).content.decode()


def test_another_merchant_cannot_record_the_balance(deposit_paid, other_merchant):
    client = owner(other_merchant)
    for action in ("cash", "account"):
        response = client.post(f"/dashboard/payments/orders/{deposit_paid.pk}/balance/{action}")
        assert response.status_code == 404
    plan = OrderPaymentPlan.objects.get(order=deposit_paid)
    assert (plan.balance_paid_at, plan.balance_reference) == (None, "")
    assert Payment.objects.filter(order=deposit_paid).count() == 1
    assert owner(other_merchant).get(f"/dashboard/orders/{deposit_paid.pk}").status_code == 404


def test_receipt_and_verification_say_deposit_paid_not_paid(deposit_paid, merchant):
    receipt = Receipt.objects.get(order=deposit_paid)
    verify = Client().get(f"/verify/{receipt.code}").content.decode()
    assert "Deposit paid — ₦3,000 verified by bank transfer on" in verify
    assert "₦7,000 is still due on delivery: this order is not fully paid." in verify
    assert "Paid — verified" not in verify

    client = owner(merchant)
    page = client.get(f"/{deposit_paid.store.username}/orders/{deposit_paid.order_number}/receipt")
    html = page.content.decode()
    assert "Deposit paid, ₦7,000 due on delivery." in html
    assert "Balance due on delivery" in html
    pdf = pdf_text(
        client.get(f"/{deposit_paid.store.username}/orders/{deposit_paid.order_number}/receipt.pdf").content
    )
    assert "Deposit paid" in pdf and "NGN 3,000" in pdf and "NGN 7,000" in pdf

    services.pod_balance_record_cash(user=merchant, order_id=deposit_paid.pk)
    verify = Client().get(f"/verify/{receipt.code}").content.decode()
    assert "Paid — deposit of ₦3,000 verified by bank transfer on" in verify
    assert "the balance of ₦7,000 was recorded by the store as paid in cash" in verify
    assert LedgerEntry.objects.count() == 1


def test_tracking_and_placed_pages_show_what_is_due(deposit_paid):
    html = Client().get(f"/track/{deposit_paid.order_number}").content.decode()
    assert "Deposit paid, ₦7,000 due on delivery." in html
    placed = (
        Client().get(f"/{deposit_paid.store.username}/orders/{deposit_paid.order_number}").content.decode()
    )
    assert "Deposit received" in placed
    assert "the whole deposit is refunded" in placed
    # The next steps ask for the balance at the door, not for a transfer already made.
    assert "Pay by bank transfer" not in placed and "Pay the deposit" not in placed
    assert "pay the balance of ₦7,000 then, in cash or by bank transfer." in placed


def test_placed_page_before_the_deposit_asks_for_the_deposit_then_the_balance(store, monnify):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    order, _payment = place_pod(store, product)
    placed = Client().get(f"/{store.username}/orders/{order.order_number}").content.decode()
    assert "Pay the deposit of ₦3,000 by bank transfer: the order is confirmed" in placed
    assert "pay the balance of ₦7,000 then, in cash or by bank transfer." in placed


def test_payments_page_shows_deposits_transfers_and_cash_apart(deposit_paid, merchant):
    services.pod_balance_record_cash(user=merchant, order_id=deposit_paid.pk)
    html = owner(merchant).get("/dashboard/payments/").content.decode()
    assert "Deposits, net of the platform fee: <strong>₦2,750</strong>" in html
    assert "Balances paid by transfer: <strong>₦0</strong>" in html
    assert "Balances collected in cash: <strong>₦7,000</strong>" in html
