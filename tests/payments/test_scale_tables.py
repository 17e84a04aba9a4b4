"""The maintained figures equal what they summarise: the customer table equals a recomputation
from the orders after a random history, and the running balance equals the ledger sum after
concurrent credits, payouts and refunds."""

import io
import random
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from config.errors import ServiceError
from orders import services as order_services
from orders.models import Customer, Order
from payments import selectors, services, tasks
from payments.models import MerchantBalance, Payment, Refund, RefundStatus
from tests.factories import OrderFactory, ProductFactory, StoreFactory, UserFactory
from tests.payments.helpers import open_payment

PHONES = ["08031110001", "08031110002", "08031110003"]


def _recomputed(store_ids):
    rows = defaultdict(lambda: {"orders_count": 0, "total_spent": Decimal("0.00"), "times": []})
    for order in Order.objects.filter(store_id__in=store_ids, deleted_at__isnull=True).order_by("created_at"):
        row = rows[(order.store_id, order.customer_phone)]
        row["orders_count"] += 1
        if order.status != "cancelled" and order.payment_status != "refunded":
            row["total_spent"] += order.total
        row["times"].append(order.created_at)
    return {
        key: (row["orders_count"], row["total_spent"], min(row["times"]), max(row["times"]))
        for key, row in rows.items()
    }


def _table(store_ids):
    return {
        (c.store_id, c.phone): (c.orders_count, c.total_spent, c.first_order_at, c.last_order_at)
        for c in Customer.objects.filter(store_id__in=store_ids)
    }


@pytest.mark.django_db
def test_customer_table_equals_a_recomputation_after_a_random_history(
    merchant, monnify, django_capture_on_commit_callbacks
):
    chance = random.Random(13)
    stores = [StoreFactory(user=merchant), StoreFactory(user=merchant)]
    products = [ProductFactory(store=store, stock_quantity=500, price=Decimal("2500.00")) for store in stores]
    # Money for refunds: a paid order of another customer first.
    seed = OrderFactory(store=stores[0], total=Decimal("90000.00"), customer_phone="+2348039999999")
    monnify.pay_full(open_payment(order=seed).payment_reference)
    tasks.payments_requery_pending.delay()
    steps = defaultdict(int)
    for _ in range(40):
        action = chance.choice(["place", "place", "pay", "cancel", "refund"])
        with django_capture_on_commit_callbacks(execute=True):
            if action == "place":
                index = chance.randrange(2)
                order_services.order_place(
                    store=stores[index],
                    customer={"name": f"Shopper {chance.randrange(9)}", "phone": chance.choice(PHONES)},
                    lines=[{"product_id": products[index].pk, "quantity": chance.randint(1, 3)}],
                    delivery_method="pickup",
                )
            elif action == "pay":
                pending = list(Payment.objects.filter(status="pending", order__store__in=stores))
                if not pending:
                    continue
                monnify.pay_full(chance.choice(pending).payment_reference)
                tasks.payments_requery_pending.delay()
            elif action == "cancel":
                open_orders = list(
                    Order.objects.filter(store__in=stores, status__in=["pending", "confirmed"])
                )
                if not open_orders:
                    continue
                try:
                    order_services.order_cancel(order=chance.choice(open_orders), note="Random")
                except ServiceError:
                    continue
            else:
                started = list(Refund.objects.filter(status=RefundStatus.IN_PROGRESS))
                if not started:
                    continue
                refund = chance.choice(started)
                monnify.settle_refund(refund.reference, "COMPLETED")
                services.refund_requery(refund_id=refund.pk)
        steps[action] += 1
    assert min(steps.values()) >= 2, steps  # every kind of event happened
    assert Order.objects.filter(payment_status="refunded").exists()
    store_ids = [store.pk for store in stores]
    expected = _recomputed(store_ids)
    assert _table(store_ids) == expected
    # The rebuild and the catch-up reach the same rows (and change nothing).
    Customer.objects.filter(store_id__in=store_ids).update(orders_count=0, total_spent=0)
    call_command("customers_rebuild", stdout=io.StringIO())
    assert _table(store_ids) == expected
    order_services.customers_catch_up()
    assert _table(store_ids) == expected


@pytest.mark.django_db
def test_orders_the_other_backends_write_are_caught_up_and_deleted_ones_leave(store):
    order = OrderFactory(store=store, customer_phone="+2348030000009", total=Decimal("1200.00"))
    assert order_services.customers_catch_up() == 1
    row = Customer.objects.get(store=store, phone="+2348030000009")
    assert (row.orders_count, row.total_spent, row.name) == (1, Decimal("1200.00"), order.customer_name)
    Order.objects.filter(pk=order.pk).update(deleted_at=order.created_at)
    order_services.customers_catch_up()
    assert not Customer.objects.filter(store=store).exists()


@pytest.mark.django_db(transaction=True)
def test_running_balance_equals_the_ledger_after_concurrent_credits_payouts_and_refunds(monnify):
    merchant = UserFactory()
    store = StoreFactory(user=merchant)
    services.bank_account_add(user=merchant, account_number="0123456789", bank_code="058")
    funded = OrderFactory(store=store, total=Decimal("60000.00"), agm_fee=Decimal("1500.00"))
    monnify.pay_full(open_payment(order=funded).payment_reference)
    tasks.payments_requery_pending.delay()
    refundable = [
        OrderFactory(store=store, total=Decimal("4000.00"), agm_fee=Decimal("100.00")) for _ in range(3)
    ]
    refund_payments = []
    for order in refundable:
        payment = open_payment(order=order)
        monnify.pay_full(payment.payment_reference)
        refund_payments.append(payment)
    tasks.payments_requery_pending.delay()
    incoming = [
        OrderFactory(store=store, total=Decimal("3000.00"), agm_fee=Decimal("75.00")) for _ in range(4)
    ]
    incoming_payments = [open_payment(order=order) for order in incoming]
    for payment in incoming_payments:
        monnify.pay_full(payment.payment_reference)

    start = threading.Barrier(10)
    errors = []

    def run(work):
        start.wait(timeout=20)
        try:
            work()
        except ServiceError:
            pass  # a payout refused for the balance is a correct outcome
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    work = [lambda p=p: services.payment_requery(payment_id=p.pk) for p in incoming_payments]
    work += [lambda: services.payout_request(user=merchant, amount="7000") for _ in range(3)]
    work += [
        lambda p=p: services.payment_refund_start(
            payment=p, user=merchant, amount=Decimal("1000"), reason="Sorry"
        )
        for p in refund_payments
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    ledger = selectors.ledger_sum(user=merchant)
    assert ledger > 0
    assert selectors.ledger_balance(user=merchant) == ledger
    assert MerchantBalance.objects.get(pk=merchant.pk).balance == ledger
    # The rebuild command finds nothing to correct.
    MerchantBalance.objects.filter(pk=merchant.pk).update(balance=0)
    call_command("ledger_balances_rebuild", stdout=io.StringIO())
    assert selectors.ledger_balance(user=merchant) == ledger


@pytest.mark.django_db(transaction=True)  # ANALYZE TABLE commits: no test transaction to roll back
def test_pay_on_delivery_sums_read_only_their_kinds_from_an_index():
    from django.test.utils import CaptureQueriesContext

    from payments.models import LedgerKind
    from payments.services.ledger import ledger_book

    merchant, other = UserFactory(), UserFactory()
    for owner in (merchant, other):
        for index in range(150):  # sales: the rows the page must not read
            ledger_book(
                merchant_id=owner.pk,
                kind=LedgerKind.CREDIT_SALE,
                amount=Decimal("1000.00"),
                reference=f"sale-{owner.pk}-{index}",
            )
    for index, (kind, amount) in enumerate(
        [
            (LedgerKind.CREDIT_DEPOSIT, Decimal("2500.50")),
            (LedgerKind.CREDIT_DEPOSIT, Decimal("1499.50")),
            (LedgerKind.CREDIT_BALANCE, Decimal("7000.00")),
            (LedgerKind.DEBIT_CASH_FEE, Decimal("-150.25")),
        ]
    ):
        ledger_book(merchant_id=merchant.pk, kind=kind, amount=amount, reference=f"pod-{index}")
    ledger_book(
        merchant_id=other.pk, kind=LedgerKind.CREDIT_DEPOSIT, amount=Decimal("99.00"), reference="pod-other"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE ledger_entries")
        cursor.fetchall()
    with CaptureQueriesContext(connection) as context:
        summary = selectors.pod_ledger_summary(user=merchant)
    assert summary["deposits"] == Decimal("4000.00")
    assert summary["balances_transfer"] == Decimal("7000.00")
    assert summary["cash_fees"] == Decimal("150.25")
    assert summary["balances_cash"] == Decimal("0")
    (sql,) = [query["sql"] for query in context.captured_queries if "FROM `ledger_entries`" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        columns = [column[0] for column in cursor.description]
        plan = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    assert len(plan) == 1 and plan[0]["key"] == "agm_ledger_merchant_kind", plan
    assert plan[0]["type"] == "range" and "Using index" in (plan[0]["Extra"] or ""), plan
    assert int(plan[0]["rows"]) < 20, plan  # the merchant's four pod entries, not their 150 sales
