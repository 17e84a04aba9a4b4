import csv
import io
from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from catalog.models import Product
from orders.models import Coupon, CouponRedemption, DeliveryRate, IdempotencyKey, Order, OrderEvent, OrderItem
from orders.services import order_place
from tests.factories import OrderFactory, ProductFactory, StoreFactory, api_order_body
from tests.orders.factories import CouponFactory, DeliveryRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shirt(store):
    return ProductFactory(
        store=store,
        name="Shirt",
        price=D("4500.00"),
        stock_quantity=5,
        variations=[{"name": "Shoe size", "options": ["42", "43"]}],
    )


def checkout_body(store, product, **changes):
    return api_order_body(store, product, quantity=2, variant_selection={"Shoe size": "43"}, **changes)


def nothing_written():
    return [m.objects.count() for m in (Order, OrderItem, OrderEvent, IdempotencyKey, CouponRedemption)] == [
        0
    ] * 5


def test_public_checkout(api_client, store, shirt):
    DeliveryRateFactory(store=store, state="Lagos", lga="Ikeja", fee=D("1000.00"))
    response = api_client.post("/api/v1/orders", checkout_body(store, shirt), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["success"], body["message"]) == (True, "Order placed")
    data = body["data"]
    assert (data["subtotal"], data["shippingFee"], data["serviceFee"], data["total"]) == (
        "9000.00",
        "1000.00",
        "0.00",
        "10000.00",
    )
    assert "agmFee" not in data
    assert Order.objects.get().agm_fee == D("225.00")
    assert data["items"][0]["variantSelection"] == {"Shoe size": "43"}
    assert data["customer"]["customerPhone"] == "+2348031234567"
    assert data["customer"]["deliveryMethod"] == "delivery"
    assert [event["status"] for event in data["timeline"]] == ["pending"]
    assert Product.objects.get().stock_quantity == 3


def test_idempotency_key_gives_the_same_response(api_client, store, shirt):
    body = checkout_body(store, shirt)
    first = api_client.post("/api/v1/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    second = api_client.post("/api/v1/orders", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Order.objects.count() == 1
    assert Product.objects.get().stock_quantity == 3
    changed = api_client.post(
        "/api/v1/orders",
        {**body, "customerName": "Someone else"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "idempotency_conflict"
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("_case", "change", "message"),
    [
        ("price tampering", {"price": "1.00"}, "The price of Shirt is ₦4,500, not ₦1."),
        ("quantity 0", {"quantity": 0}, "Quantities are whole numbers from 1 to 999."),
        ("quantity -1", {"quantity": -1}, "Quantities are whole numbers from 1 to 999."),
        ("quantity 10^9", {"quantity": 10**9}, "Quantities are whole numbers from 1 to 999."),
        (
            "bad option",
            {"variantSelection": {"Shoe size": "50"}},
            "'50' is not a Shoe size of Shirt; choose one of 42, 43.",
        ),
    ],
)
def test_bad_lines_are_a_clear_400(api_client, store, shirt, _case, change, message):
    line = {"productId": shirt.pk, "quantity": 1, "variantSelection": {"Shoe size": "42"}, **change}
    response = api_client.post(
        "/api/v1/orders", checkout_body(store, shirt, items=[line]), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 400
    assert (response.json()["success"], response.json()["message"]) == (False, message)
    assert nothing_written()
    assert Product.objects.get().stock_quantity == 5


def test_tampered_total_is_a_400(api_client, store, shirt):
    response = api_client.post("/api/v1/orders", checkout_body(store, shirt, total="10.00"), format="json")
    assert (response.status_code, response.json()["message"]) == (
        400,
        "The order total is ₦9,000, not ₦10.",
    )
    assert nothing_written()


def test_foreign_and_inactive_products_and_unknown_lga_are_a_clear_400(api_client, store, shirt):
    foreign = ProductFactory(store=StoreFactory())
    hidden = ProductFactory(store=store, name="Hidden", is_active=False)
    cases = [
        (
            checkout_body(store, shirt, items=[{"productId": foreign.pk, "quantity": 1}]),
            "A product in your cart is not sold by this store.",
        ),
        (
            checkout_body(store, shirt, items=[{"productId": hidden.pk, "quantity": 1}]),
            "Hidden is no longer available.",
        ),
        (checkout_body(store, shirt, deliveryLga="Nsukka"), "'Nsukka' is not an LGA of Lagos."),
        (checkout_body(store, shirt, items=[]), "items: This list may not be empty."),
        (
            {**checkout_body(store, shirt), "storeUsername": None},
            "storeUsername: This field may not be null.",
        ),
    ]
    for body, message in cases:
        response = api_client.post("/api/v1/orders", body, format="json")
        assert (response.status_code, response.json()["message"]) == (400, message)
    assert nothing_written()


def test_out_of_stock_is_a_409(api_client, store, shirt):
    body = checkout_body(
        store, shirt, items=[{"productId": shirt.pk, "quantity": 6, "variantSelection": {"Shoe size": "42"}}]
    )
    response = api_client.post("/api/v1/orders", body, format="json")
    assert (response.status_code, response.json()["message"]) == (409, "Only 5 of Shirt left in stock.")
    assert nothing_written()


def test_unknown_store_is_a_404(api_client, store, shirt):
    response = api_client.post(
        "/api/v1/orders", checkout_body(store, shirt, storeUsername="nope"), format="json"
    )
    assert response.status_code == 404


def test_list_and_filters(merchant_api, store, merchant):
    a = OrderFactory(store=store, status="shipped")
    OrderFactory(store=store, status="pending", payment_status="paid")
    OrderFactory(store=StoreFactory())
    body = merchant_api.get("/api/v1/orders").json()
    assert body["pagination"]["total"] == 2
    body = merchant_api.get("/api/v1/orders?status=shipped").json()
    assert [row["orderNumber"] for row in body["data"]] == [a.order_number]
    assert len(merchant_api.get("/api/v1/orders?paymentStatus=paid").json()["data"]) == 1
    bad = merchant_api.get("/api/v1/orders?status=lost")
    assert bad.status_code == 400


def test_status_changes_and_illegal_transition(merchant_api, store, shirt):
    order = order_place(
        store=store,
        customer={"name": "A", "phone": "08031234567"},
        delivery_method="pickup",
        lines=[{"product_id": shirt.pk, "quantity": 1, "variant_selection": {"Shoe size": "42"}}],
    )
    url = f"/api/v1/orders/{order.pk}/status"
    response = merchant_api.patch(url, {"status": "confirmed", "note": "paid cash"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "confirmed"
    assert (
        merchant_api.put(url, {"status": "processing"}, format="json").json()["data"]["status"]
        == "processing"
    )
    events = OrderEvent.objects.count()
    response = merchant_api.patch(url, {"status": "pending"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert response.json()["error"]["details"] == {
        "from": "processing",
        "to": "pending",
        "allowed": ["shipped"],
    }
    order.refresh_from_db()
    assert (order.status, OrderEvent.objects.count()) == ("processing", events)
    cancel = merchant_api.post(f"/api/v1/orders/{order.pk}/cancel", {}, format="json")
    assert cancel.status_code == 409
    assert Product.objects.get().stock_quantity == 4


def test_cancel_restocks(merchant_api, store, shirt):
    order = order_place(
        store=store,
        customer={"name": "A", "phone": "08031234567"},
        delivery_method="pickup",
        lines=[{"product_id": shirt.pk, "quantity": 2, "variant_selection": {"Shoe size": "42"}}],
    )
    response = merchant_api.post(f"/api/v1/orders/{order.pk}/cancel", {"note": "no stock"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "cancelled"
    assert Product.objects.get().stock_quantity == 5


def test_track_shows_details_only_with_the_right_contact(api_client, store, shirt):
    order = order_place(
        store=store,
        customer={"name": "Ada", "phone": "08031234567", "email": "a@example.com"},
        delivery_method="pickup",
        lines=[{"product_id": shirt.pk, "quantity": 1, "variant_selection": {"Shoe size": "42"}}],
    )
    url = f"/api/v1/orders/track/{order.order_number}"
    public = api_client.get(url).json()["data"]
    assert "customer" not in public and "agmFee" not in public
    assert public["status"] == "pending" and len(public["timeline"]) == 1
    assert "customer" not in api_client.get(url + "?contact=08000000000").json()["data"]
    assert (
        api_client.get(url + "?contact=%2B2348031234567").json()["data"]["customer"]["customerName"] == "Ada"
    )
    assert api_client.get(url + "?email=A@example.com").json()["data"]["customer"]["customerName"] == "Ada"
    assert api_client.get("/api/v1/orders/track/AGM-NOTHING").status_code == 404


def test_export_csv(merchant_api, store):
    OrderFactory(store=store, order_number="AGM-EXPORT01", status="pending")
    OrderFactory(store=store, order_number="AGM-EXPORT02", status="shipped")
    response = merchant_api.get("/api/v1/orders/export?status=shipped")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows] == ["Order number", "AGM-EXPORT02"]


def test_delivery_rates_crud(merchant_api, store):
    created = merchant_api.post(
        "/api/v1/orders/delivery-rates",
        {"storeId": store.pk, "state": "lagos", "lga": "ikeja", "fee": "1500"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    rate_id = created.json()["data"]["id"]
    assert (created.json()["data"]["state"], created.json()["data"]["lga"]) == ("Lagos", "Ikeja")
    duplicate = merchant_api.post(
        "/api/v1/orders/delivery-rates",
        {"storeId": store.pk, "state": "Lagos", "lga": "Ikeja", "fee": "1"},
        format="json",
    )
    assert (duplicate.status_code, duplicate.json()["message"]) == (
        409,
        "There is already a delivery rate for Ikeja, Lagos.",
    )
    bad = merchant_api.post(
        "/api/v1/orders/delivery-rates",
        {"storeId": store.pk, "state": "Lagos", "lga": "Nsukka", "fee": "1"},
        format="json",
    )
    assert bad.status_code == 400
    changed = merchant_api.patch(
        f"/api/v1/orders/delivery-rates/{rate_id}", {"fee": "1750.50"}, format="json"
    )
    assert changed.json()["data"]["fee"] == "1750.50"
    assert merchant_api.get("/api/v1/orders/delivery-rates").json()["pagination"]["total"] == 1
    settings = merchant_api.put(
        f"/api/v1/orders/delivery-settings/{store.pk}",
        {"defaultFee": "2000", "freePickup": False, "freeDeliveryThreshold": "50000"},
        format="json",
    )
    assert settings.json()["data"] == {
        "defaultFee": "2000.00",
        "freePickup": False,
        "freeDeliveryThreshold": "50000.00",
    }
    assert merchant_api.delete(f"/api/v1/orders/delivery-rates/{rate_id}").status_code == 200
    assert DeliveryRate.objects.count() == 0


def test_coupons_crud(merchant_api, store):
    created = merchant_api.post(
        "/api/v1/orders/coupons",
        {"storeId": store.pk, "code": "easter", "kind": "fixed", "value": "500", "usageLimit": 10},
        format="json",
    )
    assert created.status_code == 201, created.json()
    coupon_id = created.json()["data"]["id"]
    assert created.json()["data"]["code"] == "EASTER"
    bad = merchant_api.post(
        "/api/v1/orders/coupons",
        {"storeId": store.pk, "code": "BIG", "kind": "percentage", "value": "150"},
        format="json",
    )
    assert (bad.status_code, bad.json()["message"]) == (
        400,
        "A percentage is between 0 and 100; an amount is more than 0.",
    )
    changed = merchant_api.patch(f"/api/v1/orders/coupons/{coupon_id}", {"isActive": False}, format="json")
    assert changed.json()["data"]["isActive"] is False
    assert merchant_api.delete(f"/api/v1/orders/coupons/{coupon_id}").status_code == 200
    assert Coupon.objects.count() == 0


def test_tenant_isolation_matrix(other_merchant_api, store, shirt):
    """Every owner endpoint answers 404 (or an empty list) to another merchant and changes nothing."""
    order = order_place(
        store=store,
        customer={"name": "A", "phone": "08031234567"},
        delivery_method="pickup",
        lines=[{"product_id": shirt.pk, "quantity": 1, "variant_selection": {"Shoe size": "42"}}],
    )
    rate = DeliveryRateFactory(store=store)
    coupon = CouponFactory(store=store)
    events = OrderEvent.objects.count()
    calls = [
        ("get", f"/api/v1/orders/{order.pk}", None),
        ("patch", f"/api/v1/orders/{order.pk}/status", {"status": "confirmed"}),
        ("put", f"/api/v1/orders/{order.pk}/status", {"status": "confirmed"}),
        ("post", f"/api/v1/orders/{order.pk}/cancel", {}),
        ("get", f"/api/v1/orders/delivery-rates/{rate.pk}", None),
        ("patch", f"/api/v1/orders/delivery-rates/{rate.pk}", {"fee": "1"}),
        ("delete", f"/api/v1/orders/delivery-rates/{rate.pk}", None),
        ("post", "/api/v1/orders/delivery-rates", {"storeId": store.pk, "state": "Kano", "fee": "1"}),
        ("get", f"/api/v1/orders/delivery-settings/{store.pk}", None),
        ("put", f"/api/v1/orders/delivery-settings/{store.pk}", {"defaultFee": "1", "freePickup": True}),
        ("get", f"/api/v1/orders/coupons/{coupon.pk}", None),
        ("patch", f"/api/v1/orders/coupons/{coupon.pk}", {"value": "1"}),
        ("delete", f"/api/v1/orders/coupons/{coupon.pk}", None),
        ("post", "/api/v1/orders/coupons", {"storeId": store.pk, "code": "X", "kind": "fixed", "value": "1"}),
    ]
    for method, url, body in calls:
        response = getattr(other_merchant_api, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.json())
    assert other_merchant_api.get("/api/v1/orders").json()["pagination"]["total"] == 0
    assert other_merchant_api.get(f"/api/v1/orders?store={store.pk}").json()["pagination"]["total"] == 0
    assert other_merchant_api.get("/api/v1/orders/delivery-rates").json()["pagination"]["total"] == 0
    assert other_merchant_api.get("/api/v1/orders/coupons").json()["pagination"]["total"] == 0
    export = other_merchant_api.get("/api/v1/orders/export")
    assert b"".join(export.streaming_content).decode().strip().count("\n") == 0
    order.refresh_from_db()
    assert order.status == "pending"
    assert (OrderEvent.objects.count(), DeliveryRate.objects.get().fee, Coupon.objects.get().value) == (
        events,
        rate.fee,
        coupon.value,
    )


def test_owner_endpoints_need_a_token(store):
    client = APIClient()
    for url in [
        "/api/v1/orders",
        "/api/v1/orders/export",
        "/api/v1/orders/coupons",
        "/api/v1/orders/delivery-rates",
    ]:
        assert client.get(url).status_code == 401


def test_track_api_stops_after_ten_wrong_guesses(api_client, store, shirt):
    order = order_place(
        store=store,
        customer={"name": "Ada", "phone": "08031234567"},
        delivery_method="pickup",
        lines=[{"product_id": shirt.pk, "quantity": 1, "variant_selection": {"Shoe size": "42"}}],
    )
    url = f"/api/v1/orders/track/{order.order_number}"
    for guess in range(10):
        assert api_client.get(f"{url}?contact=0803000{guess:04d}").status_code == 200
    blocked = api_client.get(f"{url}?contact=08031234567")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "3600"
    assert api_client.get(url).status_code == 200


@pytest.mark.parametrize("count", [10, 100])
@pytest.mark.parametrize(("mode", "queries"), [("", 4), ("&cursor=", 5)])
def test_order_list_api_runs_a_fixed_number_of_queries(
    merchant_api, store, count, mode, queries, django_assert_num_queries
):
    OrderFactory.create_batch(count, store=store)
    # user, the caller's store ids (the list filters on them, not through a join), count, page;
    # a keyset page reads its keys from the index, then its rows by primary key
    with django_assert_num_queries(queries):
        response = merchant_api.get(f"/api/v1/orders?limit=50{mode}")
    assert len(response.json()["data"]) == min(count, 50)


def test_service_fee_is_shown_only_when_the_shopper_pays_it(api_client, merchant_api, settings, store, shirt):
    body = checkout_body(store, shirt, deliveryMethod="pickup")
    merchant_pays = api_client.post("/api/v1/orders", body, format="json").json()["data"]
    assert (merchant_pays["serviceFee"], merchant_pays["total"]) == ("0.00", "9000.00")
    assert "agmFee" not in merchant_pays
    settings.AGM_FEE_BEARER = "customer"
    shopper_pays = api_client.post("/api/v1/orders", body, format="json").json()["data"]
    assert (shopper_pays["serviceFee"], shopper_pays["total"]) == ("225.00", "9225.00")
    owner_view = merchant_api.get(f"/api/v1/orders/{merchant_pays['id']}").json()["data"]
    assert (owner_view["agmFee"], owner_view["serviceFee"]) == ("225.00", "0.00")
    page = api_client.get(f"/track/{shopper_pays['orderNumber']}")
    assert page.context["service_fee"] == D("225.00")
