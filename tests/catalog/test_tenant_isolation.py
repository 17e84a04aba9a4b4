"""Merchant B uses merchant A's ids on every product endpoint and dashboard page: always a
404, and A's data unchanged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Product
from stores.models import Store
from tests.catalog.conftest import image_bytes
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_data(merchant):
    store = StoreFactory(user=merchant)
    product = ProductFactory(store=store, name="A's product", sku="A-1")
    return store, product


@pytest.fixture
def b_store(other_merchant):
    return StoreFactory(user=other_merchant)


def snapshot():
    return list(Product.objects.order_by("pk").values()), list(Store.objects.order_by("pk").values())


def csv_file(content: str):
    return SimpleUploadedFile("p.csv", content.encode(), "text/csv")


API_CASES = [
    ("get", "/api/v1/products/{product}", None),
    ("put", "/api/v1/products/{product}", {"name": "Stolen", "price": "1"}),
    ("patch", "/api/v1/products/{product}", {"name": "Stolen"}),
    ("delete", "/api/v1/products/{product}", None),
    ("post", "/api/v1/products", {"storeId": "{store}", "name": "Planted", "price": "1"}),
    ("post", "/api/v1/products/bulk", {"action": "delete", "productIds": ["{product}"]}),
    ("get", "/api/v1/products?storeId={store}", None),
    ("get", "/api/v1/products/my-products?storeId={store}", None),
    ("get", "/api/v1/products/export?storeId={store}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), API_CASES)
def test_api(other_merchant_api, a_data, b_store, method, path, body):
    store, product = a_data
    path = path.format(product=product.pk, store=store.pk)
    if body is not None:
        body = {
            key: (
                [item.format(product=product.pk) for item in value]
                if isinstance(value, list)
                else value.format(product=product.pk, store=store.pk)
            )
            for key, value in body.items()
        }
    before = snapshot()

    response = getattr(other_merchant_api, method)(path, body, format="json")

    assert response.status_code == 404
    assert response.json()["success"] is False
    assert snapshot() == before


def test_api_import_into_a_stores_store(other_merchant_api, a_data):
    store, _product = a_data
    before = snapshot()
    response = other_merchant_api.post(
        "/api/v1/products/import",
        {"storeId": store.pk, "file": csv_file("name,price\nPlanted,1\n")},
        format="multipart",
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_api_import_rows_naming_a_stores_product(other_merchant_api, a_data, b_store):
    _store, product = a_data
    before = snapshot()
    response = other_merchant_api.post(
        "/api/v1/products/import",
        {"storeId": b_store.pk, "file": csv_file(f"id,name,price\n{product.pk},Stolen,1\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "rows": [{"row": 2, "errors": {"id": ["No product with this id in this store."]}}]
    }
    assert snapshot() == before


def test_api_upload_into_a_stores_folder(other_merchant_api, a_data, stored_names):
    store, _product = a_data
    response = other_merchant_api.post(
        "/api/v1/upload/image",
        {"file": SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"), "storeId": store.pk},
        format="multipart",
    )
    assert response.status_code == 404
    assert stored_names(f"products/{store.pk}") == []


DASHBOARD_CASES = [
    ("get", "/dashboard/products/{product}/", {}),
    ("post", "/dashboard/products/{product}/", {"name": "Stolen", "price": "1"}),
    ("post", "/dashboard/products/{product}/duplicate/", {}),
    ("get", "/dashboard/products/{product}/delete/", {}),
    ("post", "/dashboard/products/{product}/delete/", {}),
    ("post", "/dashboard/products/bulk/", {"action": "delete", "ids": "{product}"}),
    ("post", "/dashboard/products/new/", {"store": "{store}", "name": "Planted", "price": "1"}),
    ("get", "/dashboard/products/?store={store}", {}),
    ("get", "/dashboard/products/export/?store={store}", {}),
]


@pytest.mark.parametrize(("method", "path", "data"), DASHBOARD_CASES)
def test_dashboard(client, other_merchant, a_data, b_store, method, path, data):
    store, product = a_data
    client.force_login(other_merchant)
    path = path.format(product=product.pk, store=store.pk)
    data = {key: value.format(product=product.pk, store=store.pk) for key, value in data.items()}
    before = snapshot()

    response = getattr(client, method)(path, data)

    assert response.status_code == 404
    assert snapshot() == before


def test_dashboard_import_into_a_stores_store(client, other_merchant, a_data, b_store):
    store, _product = a_data
    client.force_login(other_merchant)
    before = snapshot()
    response = client.post(
        "/dashboard/products/import/", {"store": store.pk, "file": csv_file("name,price\nPlanted,1\n")}
    )
    assert response.status_code == 404
    assert snapshot() == before
