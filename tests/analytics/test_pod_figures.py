"""Pay on delivery in the figures: a paid deposit is revenue, the balance when it is paid; the
home page and the sales report show deposits and balances due apart."""

from decimal import Decimal

import pytest
from django.test import Client

from analytics.periods import lagos_day
from analytics.rollups import rollups_compute
from payments import services, tasks
from tests.factories import ProductFactory
from tests.payments.pod_helpers import place_pod, pod_store

pytestmark = pytest.mark.django_db


def revenue(order):
    day = lagos_day(order.created_at)
    rows, breakdown = rollups_compute(store_id=order.store_id, first=day, last=day)
    products = [row.revenue for row in breakdown if row.dimension == "product"]
    return (rows[0].revenue, rows[0].sales, rows[0].items_sold, products)


def test_revenue_counts_the_deposit_then_the_total_and_the_page_shows_them_apart(store, merchant, monnify):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    order, deposit = place_pod(store, product)
    assert revenue(order) == (Decimal("0.00"), 0, 0, [])

    monnify.pay_full(deposit.payment_reference)
    tasks.payments_requery_pending.delay()
    assert revenue(order) == (Decimal("3000.00"), 1, 0, [])

    client = Client()
    client.force_login(merchant)
    html = client.get("/dashboard/").content.decode()

    assert "Pay on delivery: ₦3,000 deposits, ₦7,000 balances due." in html
    report = client.get("/dashboard/analytics/sales/").content.decode()
    assert "Pay on delivery: ₦3,000 deposits, ₦7,000 balances due." in report

    services.pod_balance_record_cash(user=merchant, order_id=order.pk)
    assert revenue(order) == (Decimal("10000.00"), 1, 4, [Decimal("10000.00")])
    html = client.get("/dashboard/").content.decode()
    assert "Pay on delivery: ₦3,000 deposits, ₦0 balances due." in html
    assert "₦0 by transfer, ₦7,000 in cash" in html
