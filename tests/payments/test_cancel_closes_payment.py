"""Cancelling an unpaid order closes its open Monnify payment everywhere the shopper could pay it;
money that still arrives afterwards is recorded and flagged for the merchant."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from notifications.models import Notification
from orders.models import Order, OrderStatus, PaymentStatus
from orders.services import order_cancel
from payments import services
from payments.models import LedgerEntry, Payment, Refund
from payments.selectors import payment_open_for_order
from tests.factories import OrderFactory, ProductFactory, StoreFactory
from tests.payments.test_order_integration import checkout
from tests.payments.test_payment_flow import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def tote(store):
    return ProductFactory(store=store, name="Ankara Tote", price=D("6500.00"), stock_quantity=4)


@pytest.fixture
def cancelled(client, store, tote, monnify, merchant, django_capture_on_commit_callbacks):
    _response, order = checkout(client, store, tote, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(order=order)
    assert payment.account_number  # the account was open before the cancel
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, actor=merchant, note="Shopper changed their mind")
    return Order.objects.get(pk=order.pk), Payment.objects.get(pk=payment.pk)


def test_cancel_closes_the_open_payment(cancelled, tote):
    order, payment = cancelled
    tote.refresh_from_db()
    assert (order.status, tote.stock_quantity) == (OrderStatus.CANCELLED, 4)
    assert payment.status == PaymentStatus.EXPIRED
    assert "closed_by_cancel" in payment.metadata
    assert payment_open_for_order(order=order) is None


def test_open_payment_of_a_cancelled_order_is_not_offered_even_if_still_pending(cancelled):
    order, payment = cancelled
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.PENDING)
    assert payment_open_for_order(order=order) is None


def test_pay_page_of_a_cancelled_order_shows_no_account(client, cancelled, store):
    _order, payment = cancelled
    response = client.get(f"/{store.username}/pay/{payment.payment_reference}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This order was cancelled" in html
    assert payment.account_number not in html
    assert "countdown" not in html
    assert "hx-trigger" not in html
    assert "Simulate transfer" not in html


def test_placed_page_and_api_no_longer_offer_the_payment(client, cancelled, store, merchant_api):
    order, payment = cancelled
    placed = client.get(f"/{store.username}/orders/{order.order_number}")
    assert placed.status_code == 200
    assert payment.payment_reference not in placed.content.decode()
    assert "now</a>" not in placed.content.decode()
    detail = merchant_api.get(f"/api/v1/orders/{order.pk}")
    assert detail.status_code == 200
    assert detail.json()["data"]["payment"] is None


def test_simulate_and_checkout_do_nothing_for_a_cancelled_order(client, cancelled, store, monnify, settings):
    _order, payment = cancelled
    settings.MONNIFY_API_KEY = ""
    client.post(f"/{store.username}/pay/{payment.payment_reference}/simulate")
    assert monnify.transaction(payment.payment_reference)["amountPaid"] == D("0")


def test_money_arriving_after_the_cancel_is_recorded_and_flagged(
    client, cancelled, monnify, merchant, django_capture_on_commit_callbacks
):
    order, payment = cancelled
    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, monnify, monnify.transaction_event(payment.payment_reference))
    assert response.status_code == 200

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED  # the order is not confirmed by it
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.PENDING)
    assert payment.metadata["late_payment"]["amount_paid"] == "13000.00"
    assert payment.metadata["needs_merchant_action"] == "paid_after_cancel"
    assert LedgerEntry.objects.count() == 0
    flags = Notification.objects.filter(user=merchant, title__contains="was paid")
    assert list(flags.values_list("title", flat=True)) == [
        f"Order {order.order_number} was paid after you cancelled it"
    ]


def _race(*works) -> list[Exception]:
    """Run the works at the same moment, each on its own connection; the errors they raised."""
    barrier = threading.Barrier(len(works))
    errors = []

    def run(work):
        try:
            barrier.wait()
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_cancel_racing_the_payment_ends_in_one_consistent_state(monnify, attempt):
    order = OrderFactory(store=StoreFactory(), total=D("5000.00"), agm_fee=D("0.00"))
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)

    errors = _race(
        lambda: order_cancel(order=Order.objects.get(pk=order.pk)),
        lambda: services.payment_reconcile(payment=Payment.objects.get(pk=payment.pk)),
    )

    assert errors == []  # no deadlock, whichever wins
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    if payment.status == PaymentStatus.PAID:  # paid first: the cancel refunded it
        assert Refund.objects.filter(payment=payment).count() == 1
    else:  # cancelled first: the money is recorded and flagged, never confirming the order
        assert payment.status == PaymentStatus.EXPIRED
        assert payment.metadata["needs_merchant_action"] == "paid_after_cancel"
        assert not Refund.objects.filter(payment=payment).exists()
