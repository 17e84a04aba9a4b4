"""Pay on delivery end to end on MariaDB with the Monnify simulator: deposit, balance, ledger,
refund policy, refusals that write nothing, tenants."""

from decimal import Decimal

import pytest

from catalog.models import Product
from config.errors import Conflict, NotFound
from notifications.models import DeliveryLog
from orders.models import (
    BalanceMethod,
    DepositKind,
    Order,
    OrderPaymentPlan,
    OrderStatus,
    PaymentStatus,
    RefundPolicy,
)
from orders.services import InvalidCheckout, order_cancel, order_place
from payments import services, tasks
from payments.models import LedgerEntry, LedgerKind, Payment, Refund
from payments.selectors import ledger_balance
from tests.factories import ProductFactory, StoreFactory
from tests.payments.helpers import open_payment
from tests.payments.pod_helpers import SHOPPER, place_pod, pod_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def pod_product(store):
    pod_store(store)
    return ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)


def pay(monnify, payment):
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()


def test_deposit_is_collected_then_confirms_the_order_without_calling_it_paid(store, pod_product, monnify):
    order, payment = place_pod(store, pod_product)
    plan = OrderPaymentPlan.objects.get(order=order)
    # 4 x ₦2,500 = ₦10,000; 30 % deposit
    assert (order.total, plan.deposit_amount, plan.balance_amount) == (
        Decimal("10000.00"),
        Decimal("3000.00"),
        Decimal("7000.00"),
    )
    assert payment.amount == Decimal("3000.00")
    assert monnify.transaction(payment.payment_reference)["amount"] == Decimal("3000.00")
    assert Product.objects.get(pk=pod_product.pk).stock_quantity == 6  # held at checkout

    pay(monnify, payment)
    order.refresh_from_db()
    plan.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.PENDING)
    assert plan.deposit_paid_at is not None and plan.balance_paid_at is None
    assert Product.objects.get(pk=pod_product.pk).stock_quantity == 6
    # the platform fee (2.5 % of ₦10,000 = ₦250) comes out of the deposit
    entries = list(LedgerEntry.objects.values_list("kind", "amount"))
    assert entries == [(LedgerKind.CREDIT_DEPOSIT, Decimal("2750.00"))]
    assert ledger_balance(user=store.user) == Decimal("2750.00")
    event = order.events.get(status=OrderStatus.CONFIRMED)
    assert event.customer_message == "Deposit of ₦3,000 received. ₦7,000 is due on delivery."


def test_the_shopper_is_told_the_deposit_and_the_balance_due(
    store, pod_product, monnify, django_capture_on_commit_callbacks
):
    order, payment = place_pod(store, pod_product)
    with django_capture_on_commit_callbacks(execute=True):
        pay(monnify, payment)
    sms = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:confirmed", channel="sms")
    assert "confirmed; NGN 7,000 due on delivery." in sms.body_text
    email = DeliveryLog.objects.get(idempotency_key=f"order-status:{order.pk}:confirmed", channel="email")
    assert "We have received your deposit of ₦3,000." in email.body_text
    assert "₦7,000 is due when it is delivered." in email.body_text


def test_balance_by_a_monnify_account_at_the_door_is_applied_once(
    store, pod_product, monnify, merchant, django_capture_on_commit_callbacks
):
    order, deposit = place_pod(store, pod_product)
    pay(monnify, deposit)
    balance_payment = services.pod_balance_account_open(user=merchant, order_id=order.pk)
    # pressing again while it is open gives the same account
    assert services.pod_balance_account_open(user=merchant, order_id=order.pk).pk == balance_payment.pk
    balance_payment = open_payment(order=order)
    assert balance_payment.amount == Decimal("7000.00")
    assert balance_payment.account_number
    assert OrderPaymentPlan.objects.get(order=order).balance_reference == balance_payment.payment_reference

    monnify.pay_full(balance_payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # the webhook's task and two periodic re-queries
            services.payment_reconcile(payment=balance_payment)
    order.refresh_from_db()
    plan = OrderPaymentPlan.objects.get(order=order)
    assert order.payment_status == PaymentStatus.PAID
    assert plan.balance_method == BalanceMethod.TRANSFER
    kinds = sorted(LedgerEntry.objects.values_list("kind", "amount"))
    assert kinds == [
        (LedgerKind.CREDIT_BALANCE, Decimal("7000.00")),
        (LedgerKind.CREDIT_DEPOSIT, Decimal("2750.00")),
    ]
    assert ledger_balance(user=merchant) == Decimal("9750.00")  # ₦10,000 less the ₦250 fee
    assert DeliveryLog.objects.filter(idempotency_key=f"order-balance-paid:{order.pk}").count() == 2
    sms = DeliveryLog.objects.get(idempotency_key=f"order-balance-paid:{order.pk}", channel="sms")
    assert "balance of NGN 7,000 received" in sms.body_text
    with pytest.raises(Conflict, match="already paid"):
        services.pod_balance_account_open(user=merchant, order_id=order.pk)


def test_cash_balance_is_recorded_once_and_never_credits_the_monnify_balance(
    store, pod_product, monnify, merchant
):
    order, deposit = place_pod(store, pod_product)
    pay(monnify, deposit)
    open_account = services.pod_balance_account_open(user=merchant, order_id=order.pk)
    assert services.pod_balance_record_cash(user=merchant, order_id=order.pk) is True
    assert services.pod_balance_record_cash(user=merchant, order_id=order.pk) is False
    order.refresh_from_db()
    plan = OrderPaymentPlan.objects.get(order=order)
    assert order.payment_status == PaymentStatus.PAID
    assert (plan.balance_method, plan.balance_recorded_by_id) == (BalanceMethod.CASH, merchant.pk)
    # the fee was covered by the deposit: nothing more is booked, the cash stays out of it
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [
        (LedgerKind.CREDIT_DEPOSIT, Decimal("2750.00"))
    ]
    # the account opened at the door is closed: the shopper cannot pay the balance twice
    assert Payment.objects.get(pk=open_account.pk).status == PaymentStatus.EXPIRED
    assert order.events.filter(note="Balance of ₦7,000 collected in cash.").count() == 1


def test_cash_balance_owes_the_fee_the_deposit_could_not_carry(store, monnify, merchant):
    pod_store(store, kind=DepositKind.FIXED, value="500")
    product = ProductFactory(store=store, price=Decimal("50000.00"), stock_quantity=3)
    order, deposit = place_pod(store, product, quantity=1)
    assert order.agm_fee == Decimal("1250.00")
    pay(monnify, deposit)
    services.pod_balance_record_cash(user=merchant, order_id=order.pk)
    assert sorted(LedgerEntry.objects.values_list("kind", "amount")) == [
        (LedgerKind.CREDIT_DEPOSIT, Decimal("0.00")),
        (LedgerKind.DEBIT_CASH_FEE, Decimal("-750.00")),
    ]


def test_balance_cannot_be_recorded_before_the_deposit_or_by_another_merchant(
    store, pod_product, monnify, merchant, other_merchant
):
    order, deposit = place_pod(store, pod_product)
    with pytest.raises(Conflict, match="deposit has not been paid"):
        services.pod_balance_record_cash(user=merchant, order_id=order.pk)
    pay(monnify, deposit)
    with pytest.raises(NotFound):
        services.pod_balance_record_cash(user=other_merchant, order_id=order.pk)
    with pytest.raises(NotFound):
        services.pod_balance_account_open(user=other_merchant, order_id=order.pk)
    assert OrderPaymentPlan.objects.get(order=order).balance_paid_at is None
    assert Payment.objects.filter(order=order).count() == 1


def test_a_state_that_does_not_qualify_cannot_choose_pay_on_delivery(store, pod_product):
    with pytest.raises(InvalidCheckout) as refused:
        order_place(
            store=store,
            customer={**SHOPPER, "state": "Kano", "lga": "Kano Municipal"},
            lines=[{"product_id": pod_product.pk, "quantity": 1}],
            payment_plan="pay_on_delivery",
        )
    assert refused.value.code == "pay_on_delivery_unavailable"
    assert Order.objects.count() == 0
    assert OrderPaymentPlan.objects.count() == 0
    assert Product.objects.get(pk=pod_product.pk).stock_quantity == 10


@pytest.mark.parametrize(
    ("policy", "keep", "refunded"),
    [
        (RefundPolicy.FULL, "0", Decimal("3000.00")),
        (RefundPolicy.KEEP_PERCENT, "12.5", Decimal("2625.00")),
        (RefundPolicy.KEEP_DEPOSIT, "0", None),
    ],
)
def test_cancelling_after_the_deposit_refunds_what_the_policy_says(
    store, monnify, merchant, policy, keep, refunded, django_capture_on_commit_callbacks
):
    pod_store(store, policy=policy, keep=keep)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    # another paid order so the balance can fund the refund (a refund leaves the balance at once)
    other = StoreFactory(user=merchant)
    paid_order = order_place(
        store=other,
        customer=SHOPPER,
        lines=[{"product_id": ProductFactory(store=other, price=Decimal("9000")).pk, "quantity": 1}],
    )
    pay(monnify, open_payment(order=paid_order))
    order, deposit = place_pod(store, product)
    pay(monnify, deposit)
    before = ledger_balance(user=merchant)
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, actor=merchant, note="Customer changed their mind.")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Product.objects.get(pk=product.pk).stock_quantity == 10
    refunds = list(Refund.objects.filter(payment__order=order).values_list("amount", flat=True))
    if refunded is None:
        assert refunds == []
        assert ledger_balance(user=merchant) == before
    else:
        assert refunds == [refunded]
        assert monnify.refunds[Refund.objects.get(payment__order=order).reference]["refundAmount"] == refunded
        assert ledger_balance(user=merchant) == before - refunded
    kept = Decimal("3000.00") - (refunded or Decimal("0.00"))
    assert order.events.get(status=OrderStatus.CANCELLED).note == (
        f"Customer changed their mind. Refund of ₦{refunded or 0:,.0f} started; ₦{kept:,.0f} of the deposit kept."
    )


def test_an_unpaid_deposit_expires_like_any_payment_and_gives_the_stock_back(store, pod_product, monnify):
    order, deposit = place_pod(store, pod_product)
    services.payment_expire(payment=deposit)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.EXPIRED)
    assert Product.objects.get(pk=pod_product.pk).stock_quantity == 10
    assert LedgerEntry.objects.count() == 0
