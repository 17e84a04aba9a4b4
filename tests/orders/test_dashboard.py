import csv
import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from catalog.models import Product
from orders.models import Coupon, DeliveryRate, DeliverySettings, Order, OrderEvent
from orders.services import customers_catch_up, order_place
from tests.factories import OrderFactory, ProductFactory, StoreFactory
from tests.orders.factories import CouponFactory, DeliveryRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, merchant):
    client.force_login(merchant)
    return client


@pytest.fixture
def placed(store, shopper):
    product = ProductFactory(store=store, stock_quantity=4, price=D("1500.00"))
    return order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 2}])


def test_order_list_filters(logged_in, store, merchant):
    second_store = StoreFactory(user=merchant)
    a = OrderFactory(
        store=store, customer_name="Chidi Okeke", customer_phone="+2348030000001", status="pending"
    )
    b = OrderFactory(store=store, customer_name="Bola Ade", status="shipped", payment_status="paid")
    c = OrderFactory(store=second_store, customer_name="Emeka", status="pending")
    Order.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(days=10))
    OrderFactory(store=StoreFactory(), customer_name="Someone else's")

    def numbers(query):
        response = logged_in.get("/dashboard/orders/" + query)
        assert response.status_code == 200
        return {order.order_number for order in response.context["page"].object_list}

    assert numbers("") == {a.order_number, b.order_number, c.order_number}
    assert numbers(f"?store={second_store.pk}") == {c.order_number}
    assert numbers("?status=shipped") == {b.order_number}
    assert numbers("?payment_status=paid") == {b.order_number}
    assert numbers("?q=chidi") == {a.order_number}
    assert numbers("?q=0803 000 0001") == {a.order_number}
    assert numbers(f"?q={b.order_number.lower()}") == {b.order_number}
    today = timezone.localdate()
    assert numbers(f"?date_from={today - timedelta(days=1)}") == {a.order_number, b.order_number}
    assert numbers(f"?date_to={today - timedelta(days=5)}") == {c.order_number}


@pytest.mark.parametrize("count", [10, 100])
def test_order_list_runs_a_fixed_number_of_queries(logged_in, store, count, django_assert_num_queries):
    OrderFactory.create_batch(count, store=store)
    # session, user, unread notifications (the bell), stores for the filter, count, the page's
    # keys from the index, its rows by primary key
    with django_assert_num_queries(7):
        response = logged_in.get("/dashboard/orders/")
    assert len(response.context["page"].object_list) == min(count, 25)


def test_detail_status_change_and_timeline(logged_in, placed, merchant):
    url = f"/dashboard/orders/{placed.pk}"
    page = logged_in.get(url)
    assert page.status_code == 200
    assert page.context["next_statuses"] == [("confirmed", "Confirmed"), ("cancelled", "Cancelled")]
    response = logged_in.post(url + "/status", {"status": "confirmed", "note": "Called the customer"})
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.status == "confirmed"
    assert list(placed.events.values_list("status", "note", "actor_id"))[-1] == (
        "confirmed",
        "Called the customer",
        merchant.pk,
    )
    response = logged_in.post(url + "/status", {"status": "delivered"}, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == (
        "An order that is confirmed cannot become delivered; it can become processing, cancelled."
    )
    placed.refresh_from_db()
    assert placed.status == "confirmed"


def test_cancel_returns_stock(logged_in, placed):
    assert Product.objects.get().stock_quantity == 2
    logged_in.post(f"/dashboard/orders/{placed.pk}/cancel", {"note": "Out of town"})
    placed.refresh_from_db()
    assert placed.status == "cancelled"
    assert Product.objects.get().stock_quantity == 4
    assert placed.events.last().note == "Out of town"


def test_invoice(logged_in, placed):
    html = logged_in.get(f"/dashboard/orders/{placed.pk}/invoice").content.decode()
    assert placed.order_number in html and "Ada Obi" in html and "₦3,000" in html


def test_csv_export_streams_the_filtered_list(logged_in, store):
    OrderFactory(store=store, order_number="AGM-AAAA0001", customer_name="=HYPERLINK(1)", status="pending")
    OrderFactory(store=store, order_number="AGM-AAAA0002", status="shipped")
    OrderFactory(store=StoreFactory(), order_number="AGM-OTHER001")
    response = logged_in.get("/dashboard/orders/export.csv?status=pending")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Order number", "Store", "Placed at"]
    assert [(row[0], row[5], row[14]) for row in rows[1:]] == [("AGM-AAAA0001", "'=HYPERLINK(1)", "6000.00")]


def test_csv_export_leaves_empty_cells_empty_and_neutralises_tab_and_cr_starts(logged_in, store):
    OrderFactory(store=store, order_number="AGM-AAAA0001", customer_name="\tcmd", customer_email="")
    OrderFactory(store=store, order_number="AGM-AAAA0002", customer_name="\r=1+1", customer_email="")
    response = logged_in.get("/dashboard/orders/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    assert sorted((row[0], row[5], row[7]) for row in rows[1:]) == [
        ("AGM-AAAA0001", "'\tcmd", ""),
        ("AGM-AAAA0002", "'\r=1+1", ""),
    ]


def test_customers_are_aggregated_by_phone(logged_in, store):
    OrderFactory(store=store, customer_phone="+2348031111111", customer_name="Ada", total=D("1000.00"))
    OrderFactory(store=store, customer_phone="+2348031111111", customer_name="Ada", total=D("2500.50"))
    OrderFactory(
        store=store,
        customer_phone="+2348031111111",
        customer_name="Ada",
        total=D("900.00"),
        status="cancelled",
    )
    OrderFactory(store=store, customer_phone="+2348032222222", customer_name="Bayo", total=D("700.00"))
    OrderFactory(store=StoreFactory(), customer_phone="+2348031111111", total=D("99999.00"))
    # Factory rows are written the way the other backends write orders: the catch-up finds them.
    customers_catch_up()
    rows = logged_in.get("/dashboard/orders/customers").context["page"].object_list
    assert sorted((r.phone, r.orders_count, r.total_spent) for r in rows) == [
        ("+2348031111111", 3, D("3500.50")),
        ("+2348032222222", 1, D("700.00")),
    ]


def test_delivery_settings_and_rates(logged_in, store):
    url = f"/dashboard/orders/delivery?store={store.pk}"
    logged_in.post(
        url,
        {
            "form": "settings",
            "store": store.pk,
            "default_fee": "1500",
            "free_pickup": "on",
            "free_delivery_threshold": "50000",
        },
    )
    settings_row = DeliverySettings.objects.get(store=store)
    assert (settings_row.default_fee, settings_row.free_pickup, settings_row.free_delivery_threshold) == (
        D("1500.00"),
        True,
        D("50000.00"),
    )
    logged_in.post(url, {"form": "rate", "store": store.pk, "state": "Lagos", "lga": "", "fee": "2000"})
    logged_in.post(url, {"form": "rate", "store": store.pk, "state": "Lagos", "lga": "Ikeja", "fee": "1200"})
    response = logged_in.post(
        url, {"form": "rate", "store": store.pk, "state": "Lagos", "lga": "Nsukka", "fee": "1"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]][-1] == "'Nsukka' is not an LGA of Lagos."
    assert sorted(DeliveryRate.objects.values_list("state", "lga", "fee")) == [
        ("Lagos", "", D("2000.00")),
        ("Lagos", "Ikeja", D("1200.00")),
    ]
    logged_in.post(url, {"form": "rate", "store": store.pk, "state": "Lagos", "lga": "Ikeja", "fee": "1300"})
    assert sorted(DeliveryRate.objects.values_list("state", "lga", "fee")) == [
        ("Lagos", "", D("2000.00")),
        ("Lagos", "Ikeja", D("1300.00")),
    ]
    rate = DeliveryRate.objects.get(lga="Ikeja")
    logged_in.post(f"/dashboard/orders/delivery/rates/{rate.pk}/delete")
    assert DeliveryRate.objects.count() == 1


def test_coupons_create_edit_delete(logged_in, store):
    url = f"/dashboard/orders/coupons?store={store.pk}"
    logged_in.post(
        url,
        {
            "store": store.pk,
            "code": "sallah10",
            "kind": "percentage",
            "value": "10",
            "minimum_order": "0",
            "is_active": "on",
        },
    )
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.store_id, coupon.value) == ("SALLAH10", store.pk, D("10.00"))
    response = logged_in.post(
        url, {"store": store.pk, "code": "SALLAH10", "kind": "fixed", "value": "500", "minimum_order": "0"}
    )
    assert response.context["form"].non_field_errors() == ["This store already has a coupon SALLAH10."]
    logged_in.post(
        f"/dashboard/orders/coupons/{coupon.pk}",
        {"code": "SALLAH10", "kind": "fixed", "value": "500", "minimum_order": "2000", "is_active": "on"},
    )
    coupon.refresh_from_db()
    assert (coupon.kind, coupon.value, coupon.minimum_order) == ("fixed", D("500.00"), D("2000.00"))
    logged_in.post(f"/dashboard/orders/coupons/{coupon.pk}/delete")
    assert Coupon.objects.count() == 0


def test_dashboard_needs_login(client, placed):
    for url in ["/dashboard/orders/", f"/dashboard/orders/{placed.pk}", "/dashboard/orders/customers"]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/" in response["Location"]


def test_another_merchants_orders_and_settings_are_not_found(client, other_merchant, placed, store):
    """Tenant isolation: every dashboard page that takes an id answers 404 to another merchant."""
    client.force_login(other_merchant)
    rate = DeliveryRateFactory(store=store)
    coupon = CouponFactory(store=store)
    events = OrderEvent.objects.count()
    for method, url in [
        ("get", f"/dashboard/orders/{placed.pk}"),
        ("get", f"/dashboard/orders/{placed.pk}/invoice"),
        ("post", f"/dashboard/orders/{placed.pk}/status"),
        ("post", f"/dashboard/orders/{placed.pk}/cancel"),
        ("get", f"/dashboard/orders/coupons/{coupon.pk}"),
        ("post", f"/dashboard/orders/coupons/{coupon.pk}"),
        ("post", f"/dashboard/orders/coupons/{coupon.pk}/delete"),
        ("post", f"/dashboard/orders/delivery/rates/{rate.pk}/delete"),
        ("get", f"/dashboard/orders/delivery?store={store.pk}"),
        ("get", f"/dashboard/orders/coupons?store={store.pk}"),
    ]:
        data = {"status": "confirmed"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, url
    for url in ["/dashboard/orders/", "/dashboard/orders/customers", f"/dashboard/orders/?store={store.pk}"]:
        page = client.get(url)
        assert page.status_code == 200
        assert list(page.context["page"].object_list) == []
    export = client.get("/dashboard/orders/export.csv")
    assert len(b"".join(export.streaming_content).decode().strip().splitlines()) == 1
    placed.refresh_from_db()
    assert placed.status == "pending"
    assert (OrderEvent.objects.count(), DeliveryRate.objects.count(), Coupon.objects.count()) == (
        events,
        1,
        1,
    )
