"""Every analytics page and endpoint runs the same number of queries with 10 and 1,000 orders."""

import datetime
import uuid
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.services import rollups_rebuild
from orders.models import Order, OrderItem, OrderStatus, PaymentStatus
from tests.analytics.pages import API_PATHS, HOME, REPORT_SLUGS, report_path
from tests.conftest import bearer_client
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

PAGES = [
    HOME,
    f"{HOME}?period=this_year",
    *[report_path(slug) for slug in REPORT_SLUGS],
    f"{report_path('customers')}export.csv",
]
ENDPOINTS = [f"{path}?groupBy=week" if path.endswith("/revenue") else path for path in API_PATHS]


def add_orders(store, products, count, start):
    """Paid orders in the shape checkout leaves them, one every few hours back from today."""
    now = timezone.now()
    orders, items = [], []
    for index in range(start, start + count):
        product = products[index % len(products)]
        order = Order(
            id=str(uuid.uuid4()),
            store=store,
            order_number=f"AGM-Q{index:07d}",
            customer_name=f"Shopper {index}",
            customer_phone=f"+234803{index % 400:07d}",
            delivery_state="Lagos",
            items=[],
            subtotal=product.price,
            total=product.price,
            agm_fee=D("25.00"),
            status=OrderStatus.CONFIRMED,
            payment_status=PaymentStatus.PAID,
        )
        orders.append(order)
        items.append(
            OrderItem(
                order=order,
                product=product,
                product_name=product.name,
                product_price=product.price,
                quantity=1,
                subtotal=product.price,
            )
        )
    Order.objects.bulk_create(orders)
    OrderItem.objects.bulk_create(items)
    for position, order in enumerate(orders):
        Order.objects.filter(pk=order.pk).update(
            created_at=now - datetime.timedelta(hours=7 * position % (24 * 300))
        )
    rollups_rebuild(store_id=store.pk)


def counts(client, api):
    result = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        result[url] = len(queries)
    for url in ENDPOINTS:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200, url
        result[url] = len(queries)
    return result


def test_query_counts_do_not_grow_with_the_orders(client, merchant):
    store = StoreFactory(user=merchant)
    products = [ProductFactory(store=store, price=D("1000.00") + index) for index in range(8)]
    client.force_login(merchant)
    api = bearer_client(merchant)
    add_orders(store, products, 10, 0)
    small = counts(client, api)
    add_orders(store, products, 990, 10)
    large = counts(client, api)
    assert large == small
    # The session and user, then the home's own 21: stores, has-orders, three for both periods'
    # cards, the chart, five for "needs attention" and the balance, two for recent orders, four
    # for both top-product rankings, what was recovered, pay on delivery's deposits and balances
    # due (analytics/pod.py), and the rollups' time.
    assert (small["/dashboard/"], small["/api/v1/analytics/dashboard"]) == (23, 14)
