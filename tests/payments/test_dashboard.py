from decimal import Decimal

import pytest

from orders.models import PaymentStatus
from payments import services, tasks
from payments.models import Payment, Payout
from tests.factories import DEFAULT_PASSWORD, OrderFactory, StoreFactory
from tests.payments.helpers import open_payment

pytestmark = pytest.mark.django_db


def make_payments(store, count, status=PaymentStatus.PAID):
    for index in range(count):
        order = OrderFactory(store=store)
        Payment.objects.create(
            order=order,
            user=store.user,
            amount=order.total,
            payment_reference=f"AGM-{store.pk[:8]}-{index}",
            status=status,
            metadata={"needs_merchant_action": "overpaid"} if index == 0 else {},
        )


@pytest.fixture
def logged_in(client, merchant):
    client.login(email=merchant.email, password=DEFAULT_PASSWORD)
    return client


def test_overview_lists_flags_and_balance(logged_in, merchant, monnify):
    store = StoreFactory(user=merchant)
    order = OrderFactory(store=store, total=Decimal("8000.00"), agm_fee=Decimal("200.00"))
    payment = open_payment(order=order)
    monnify.pay_over(payment.payment_reference, Decimal("500.00"))
    tasks.payments_requery_pending.delay()
    html = logged_in.get("/dashboard/payments/").content.decode()
    assert "₦8,300" in html  # 8,500.00 received less the 200.00 fee
    assert order.order_number in html
    assert "Overpaid: refund the excess" in html


def test_overview_shows_only_own_payments(logged_in, merchant, other_merchant):
    make_payments(StoreFactory(user=other_merchant), 2)
    html = logged_in.get("/dashboard/payments/").content.decode()
    assert "No payments yet" in html


@pytest.mark.parametrize("count", [1, 8])
def test_overview_query_count_is_fixed(logged_in, merchant, count, django_assert_num_queries):
    make_payments(StoreFactory(user=merchant), count)
    # session, user, unread notifications (the bell), bank accounts, payments, their refunds,
    # balance, payouts, and pay on delivery's ledger kinds and cash balances
    with django_assert_num_queries(10):
        assert logged_in.get("/dashboard/payments/").status_code == 200


def test_payout_request_from_dashboard(logged_in, merchant, monnify, django_capture_on_commit_callbacks):
    store = StoreFactory(user=merchant)
    payment = open_payment(order=OrderFactory(store=store, total=Decimal("8000.00"), agm_fee=Decimal("0.00")))
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    account = services.bank_account_add(user=merchant, account_number="0123456789", bank_code="058")
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post("/dashboard/payments/", {"amount": "5000", "bank_account_id": account.pk})
    assert response.status_code == 302
    assert Payout.objects.get().status == "success"
    refused = logged_in.post("/dashboard/payments/", {"amount": "5000", "bank_account_id": account.pk})
    assert "Your available balance is ₦3,000." in refused.content.decode()
    assert Payout.objects.count() == 1
