"""Pay on delivery under races on MariaDB: real threads, real connections, real transactions."""

from decimal import Decimal

import pytest

from catalog.models import Product
from notifications.models import DeliveryLog
from orders.models import OrderPaymentPlan, OrderStatus, PaymentStatus
from payments import services
from payments.models import LedgerEntry, LedgerKind, Payment
from tests.factories import ProductFactory
from tests.orders.test_concurrency import run_concurrently
from tests.payments.pod_helpers import place_pod, pod_store

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_deposit_confirmations_take_stock_once_and_book_once(store, monnify):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=5)
    order, deposit = place_pod(store, product, quantity=2)
    monnify.pay_full(deposit.payment_reference)

    # The webhook's task, the periodic re-query and a shopper's page refresh, all at once.
    results = run_concurrently(8, lambda _i: services.payment_reconcile(payment=deposit))

    assert sorted(results) == [False] * 7 + [True]
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.PENDING)
    assert Product.objects.get(pk=product.pk).stock_quantity == 3
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [
        (LedgerKind.CREDIT_DEPOSIT, Decimal("1375.00"))  # 30 % of ₦5,000 less the ₦125 fee
    ]
    assert order.events.filter(status=OrderStatus.CONFIRMED).count() == 1
    assert DeliveryLog.objects.filter(idempotency_key=f"order-status:{order.pk}:confirmed").count() == 2


def test_concurrent_cash_records_and_transfer_book_the_balance_once(store, monnify, merchant):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=5)
    order, deposit = place_pod(store, product, quantity=2)
    monnify.pay_full(deposit.payment_reference)
    services.payment_reconcile(payment=deposit)

    results = run_concurrently(
        6, lambda _i: services.pod_balance_record_cash(user=merchant, order_id=order.pk)
    )

    assert sorted(results) == [False] * 5 + [True]
    plan = OrderPaymentPlan.objects.get(order=order)
    assert plan.balance_method == "cash"
    assert Payment.objects.filter(order=order).count() == 1
    assert DeliveryLog.objects.filter(idempotency_key=f"order-balance-paid:{order.pk}").count() == 2
