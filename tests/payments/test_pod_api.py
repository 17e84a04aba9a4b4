"""Pay on delivery through /api/v1/: settings, checkout, the order's fields, the balance."""

from decimal import Decimal

import pytest

from orders.models import Order, OrderPaymentPlan, PodSettings
from payments import tasks
from payments.models import Payment
from tests.factories import ProductFactory
from tests.payments.pod_helpers import pod_store

pytestmark = pytest.mark.django_db


def checkout(store, product, **changes):
    return {
        "storeUsername": store.username,
        "customerName": "Ada Obi",
        "customerPhone": "08031234567",
        "deliveryAddress": "12 Allen Avenue",
        "deliveryState": "Lagos",
        "deliveryLga": "Ikeja",
        "items": [{"productId": product.pk, "quantity": 4}],
        "paymentPlan": "pay_on_delivery",
        **changes,
    }


def test_settings_patch_saves_and_refuses_a_fixed_deposit_under_500(store, merchant_api):
    url = f"/api/v1/orders/pay-on-delivery/{store.pk}"
    refused = merchant_api.patch(
        url,
        {"enabled": True, "areas": [{"state": "Lagos"}], "depositKind": "fixed", "depositValue": "499.99"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["details"] == {"depositValue": ["A fixed deposit is at least ₦500."]}
    assert PodSettings.objects.count() == 0

    saved = merchant_api.patch(
        url,
        {"enabled": True, "areas": [{"state": "lagos"}], "depositKind": "percent", "depositValue": "25"},
        format="json",
    )
    assert saved.status_code == 200
    data = saved.json()["data"]
    assert data["areas"] == [{"state": "Lagos", "lga": ""}]
    assert (data["depositKind"], data["depositValue"]) == ("percent", "25.00")
    assert data["refundPolicyText"].endswith("the whole deposit is refunded.")


def test_another_merchants_store_settings_are_not_found(store, other_merchant_api):
    response = other_merchant_api.patch(f"/api/v1/orders/pay-on-delivery/{store.pk}", {"enabled": False})
    assert response.status_code == 404
    assert PodSettings.objects.count() == 0


def test_checkout_places_pay_on_delivery_and_the_order_shows_the_split(
    store, api_client, merchant_api, monnify
):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    response = api_client.post("/api/v1/orders", checkout(store, product, deposit="3000.00"), format="json")
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["paymentPlan"], data["depositAmount"], data["depositPaid"], data["balanceDue"]) == (
        "pay_on_delivery",
        "3000.00",
        False,
        "7000.00",
    )
    order = Order.objects.get()
    assert Payment.objects.get(order=order).amount == Decimal("3000.00")
    listed = merchant_api.get("/api/v1/orders").json()["data"][0]
    assert (listed["paymentPlan"], listed["balanceDue"]) == ("pay_on_delivery", "7000.00")


def test_checkout_where_pay_on_delivery_is_not_offered_is_a_400_writing_nothing(store, api_client):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    response = api_client.post(
        "/api/v1/orders",
        checkout(store, product, deliveryState="Kano", deliveryLga="Kano Municipal"),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "pay_on_delivery_unavailable"
    assert body["message"] == "Pay on delivery is not offered where you are: pay now by transfer."
    assert (Order.objects.count(), OrderPaymentPlan.objects.count(), Payment.objects.count()) == (0, 0, 0)


def test_balance_endpoint_records_cash_once_and_refuses_other_merchants(
    store, api_client, merchant_api, other_merchant_api, monnify
):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    api_client.post("/api/v1/orders", checkout(store, product), format="json")
    order = Order.objects.get()
    url = f"/api/v1/payments/orders/{order.pk}/balance"
    early = merchant_api.post(url, {"method": "cash"}, format="json")
    assert early.status_code == 409
    assert early.json()["message"] == "The deposit has not been paid yet."

    deposit = Payment.objects.get(order=order)
    tasks.payment_open(deposit.pk)
    monnify.pay_full(deposit.payment_reference)
    tasks.payments_requery_pending.delay()

    assert other_merchant_api.post(url, {"method": "cash"}, format="json").status_code == 404
    first = merchant_api.post(url, {"method": "cash"}, format="json")
    again = merchant_api.post(url, {"method": "cash"}, format="json")
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["message"], again.json()["message"]) == (
        "Balance recorded as cash",
        "The balance was already recorded",
    )
    data = first.json()["data"]["order"]
    assert (data["paymentStatus"], data["balanceDue"], data["depositPaid"]) == ("paid", "0.00", True)
    assert merchant_api.post(url, {"method": "transfer"}, format="json").status_code == 409


def test_balance_by_transfer_answers_with_the_account(store, api_client, merchant_api, monnify):
    pod_store(store)
    product = ProductFactory(store=store, price=Decimal("2500.00"), stock_quantity=10)
    api_client.post("/api/v1/orders", checkout(store, product), format="json")
    order = Order.objects.get()
    deposit = Payment.objects.get(order=order)
    tasks.payment_open(deposit.pk)
    monnify.pay_full(deposit.payment_reference)
    tasks.payments_requery_pending.delay()

    response = merchant_api.post(
        f"/api/v1/payments/orders/{order.pk}/balance", {"method": "transfer"}, format="json"
    )

    assert response.status_code == 200
    account = response.json()["data"]["account"]
    assert (account["amount"], account["status"]) == ("7000.00", "pending")
    assert OrderPaymentPlan.objects.get(order=order).balance_reference == account["reference"]


def test_the_schema_documents_the_new_operations_in_the_envelope(api_client):
    schema = api_client.get("/api/schema", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/orders/pay-on-delivery/{store_id}"]) == {"get", "patch"}
    balance = paths["/api/v1/payments/orders/{order_id}/balance"]["post"]
    ok = balance["responses"]["200"]["content"]["application/json"]["schema"]
    assert "success" in str(ok) and "data" in str(ok)
    assert {"400", "401", "404", "409"} <= set(balance["responses"])
    order_fields = schema["components"]["schemas"]["Order"]["properties"]
    assert {"paymentPlan", "depositAmount", "balanceDue"} <= set(order_fields)
