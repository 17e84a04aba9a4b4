"""Input that used to end in a 500 (issue 12, finding 4): deep JSON, huge bodies, totals that
overflow DECIMAL(12,2). Each answers a 4xx in the API's envelope, or a clear page, and writes
nothing."""

import io
import json
from decimal import Decimal as D

import pytest
from rest_framework.exceptions import ValidationError

from catalog.models import Product
from config.api.parsers import MAX_JSON_DEPTH, LimitedJSONParser, RequestTooLarge
from orders.models import Order, OrderItem
from payments.models import Payment
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PRICIEST = D("9999999999.99")


def deep(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def post_raw(client, url, body: str | bytes, method="post"):
    return getattr(client, method)(url, data=body, content_type="application/json")


def assert_envelope(response, status, code):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 500, 2000])
def test_deep_json_on_login_is_a_400_validation_error(api_client, levels):
    response = post_raw(api_client, "/api/v1/auth/login", deep(levels))
    body = assert_envelope(response, 400, "validation_error")
    assert body["error"]["details"] == {"body": [f"JSON may nest at most {MAX_JSON_DEPTH} levels deep."]}
    assert body["message"] == f"body: JSON may nest at most {MAX_JSON_DEPTH} levels deep."


def test_deep_json_on_checkout_and_patch_is_a_400(api_client, merchant_api, store, product):
    for levels in (600, 100_000):  # 100,000 deep is past the C parser's own recursion guard
        assert_envelope(post_raw(api_client, "/api/v1/orders", deep(levels)), 400, "validation_error")
    assert_envelope(
        post_raw(merchant_api, f"/api/v1/products/{product.pk}", deep(600), method="patch"),
        400,
        "validation_error",
    )
    assert Order.objects.count() == 0
    assert Product.objects.get(pk=product.pk).name == product.name


def test_json_within_the_depth_limit_still_parses():
    body = json.dumps({"items": [{"variantSelection": {"Size": "M"}}]}).encode()
    assert LimitedJSONParser().parse(io.BytesIO(body), parser_context={}) == {
        "items": [{"variant_selection": {"Size": "M"}}]
    }


def test_nan_and_infinity_are_not_json(api_client):
    response = post_raw(api_client, "/api/v1/auth/login", '{"email": "a@b.ng", "password": NaN}')
    assert_envelope(response, 400, "parse_error")


def test_a_body_over_the_api_limit_is_a_413(api_client):
    big = json.dumps({"customerName": "x" * (1024 * 1024 + 10)})
    body = assert_envelope(post_raw(api_client, "/api/v1/orders", big), 413, "request_too_large")
    assert body["message"] == "The request body is too large: at most 1 MB."
    assert Order.objects.count() == 0


def test_sign_in_and_the_webhook_take_smaller_bodies(api_client):
    login = post_raw(api_client, "/api/v1/auth/login", json.dumps({"email": "a" * 20_000}))
    assert assert_envelope(login, 413, "request_too_large")["message"] == (
        "The request body is too large: at most 16 KB."
    )
    webhook = post_raw(api_client, "/api/v1/webhooks/monnify", json.dumps({"x": "y" * 70_000}))
    assert_envelope(webhook, 413, "request_too_large")


def test_the_parser_stops_at_the_limit_whatever_the_declared_length():
    # a client may declare less than it sends (or nothing, chunked): the parser reads limit + 1
    stream = io.BytesIO(b'{"a": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    with pytest.raises(RequestTooLarge):
        LimitedJSONParser().parse(stream, parser_context={})
    assert stream.tell() == 1024 * 1024 + 1


def test_the_parser_refuses_depth_it_would_otherwise_recurse_on():
    with pytest.raises(ValidationError):
        LimitedJSONParser().parse(io.BytesIO(deep(MAX_JSON_DEPTH + 1).encode()), parser_context={})


def test_a_page_body_over_the_limit_is_a_413_page(client, settings, store):
    settings.REQUEST_MAX_BODY_BYTES = 1000
    response = client.post(f"/{store.username}/cart", {"action": "add", "notes": "x" * 2000})
    assert response.status_code == 413
    assert "The request body is too large: at most 0 KB." in response.content.decode()


# --- totals that would overflow DECIMAL(12,2) ---


@pytest.fixture
def priciest(store):
    return ProductFactory(store=store, name="Island", price=PRICIEST, stock_quantity=None)


def checkout(store, *lines):
    return {
        "storeUsername": store.username,
        "customerName": "Ada Obi",
        "customerPhone": "08031234567",
        "deliveryMethod": "pickup",
        "items": [{"productId": product.pk, "quantity": quantity} for product, quantity in lines],
    }


def nothing_written():
    return (Order.objects.count(), OrderItem.objects.count(), Payment.objects.count()) == (0, 0, 0)


def test_500_of_the_priciest_product_is_a_400_naming_the_quantity(api_client, store, priciest):
    response = api_client.post("/api/v1/orders", checkout(store, (priciest, 500)), format="json")
    body = assert_envelope(response, 400, "order_too_large")
    assert body["message"] == "At most 1 of Island fit in one order."
    assert body["error"]["details"] == {"quantity": "At most 1 of Island.", "productId": priciest.pk}
    assert nothing_written()


def test_lines_that_fit_alone_but_not_together_are_a_400_naming_the_items(api_client, store):
    half = [ProductFactory(store=store, price=D("6000000000.00"), stock_quantity=None) for _ in range(2)]
    response = api_client.post("/api/v1/orders", checkout(store, (half[0], 1), (half[1], 1)), format="json")
    body = assert_envelope(response, 400, "order_too_large")
    assert body["message"] == "One order can total at most ₦9,999,999,999.99: split it into smaller orders."
    assert body["error"]["details"] == {"items": "The order total is too large."}
    assert nothing_written()


def test_the_largest_order_that_fits_is_placed(api_client, store, priciest):
    response = api_client.post("/api/v1/orders", checkout(store, (priciest, 1)), format="json")
    assert response.status_code == 201, response.json()
    assert Order.objects.get().total == PRICIEST


def test_the_storefront_cart_and_checkout_refuse_an_order_too_large(client, store, priciest):
    cart = f"/{store.username}/cart"
    client.post(cart, {"action": "add", "product_id": priciest.pk, "quantity": 500})
    page = client.get(cart).content.decode()
    assert "At most 1 fit in one order." in page
    assert f"/{store.username}/checkout" not in page  # no "Check out" button
    form = client.get(f"/{store.username}/checkout").context["form"]
    response = client.post(
        f"/{store.username}/checkout",
        {
            "name": "Ada Obi",
            "phone": "08031234567",
            "email": "",
            "delivery_method": "pickup",
            "address": "",
            "state": "",
            "lga": "",
            "notes": "",
            "coupon": "",
            "token": form["token"].value(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["At most 1 of Island fit in one order."]
    assert nothing_written()


# --- found by feeding every endpoint (test_no_500_for_any_input) and schemathesis ---


def test_a_price_too_negative_to_round_is_a_400(merchant_api, product):
    response = merchant_api.patch(f"/api/v1/products/{product.pk}", {"price": -(10**30)}, format="json")
    body = assert_envelope(response, 400, "validation_error")
    assert body["error"]["details"] == {"price": ["Price cannot be negative."]}
    assert Product.objects.get(pk=product.pk).price == product.price


def test_an_error_on_a_list_item_names_its_position(api_client, store):
    response = api_client.post(
        "/api/v1/orders",
        {"storeUsername": store.username, "customerName": "Ada", "customerPhone": "0803", "items": "x"},
        format="multipart",
    )
    body = assert_envelope(response, 400, "validation_error")
    assert body["message"].startswith("items: ")


def test_options_is_405_not_a_500(merchant_api, product):
    response = merchant_api.options(f"/api/v1/products/{product.pk}")
    assert_envelope(response, 405, "method_not_allowed")
