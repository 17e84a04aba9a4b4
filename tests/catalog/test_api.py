import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Product
from tests.catalog.conftest import image_bytes
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_create_returns_the_product_in_camel_case(merchant_api, store):
    response = merchant_api.post(
        "/api/v1/products",
        {
            "storeId": store.id,
            "name": "Shea butter",
            "price": 3500,
            "compareAtPrice": "4000.00",
            "stockQuantity": 12,
            "variations": [{"name": "Size", "options": ["250g", "500g"]}],
            "tags": ["skin"],
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["success"], body["message"]) == (True, "Product created")
    data = body["data"]
    assert data["storeId"] == store.id
    assert data["storeUsername"] == store.username
    assert (data["name"], data["price"], data["compareAtPrice"], data["stockQuantity"]) == (
        "Shea butter",
        "3500.00",
        "4000.00",
        12,
    )
    assert data["variations"] == [{"name": "Size", "options": ["250g", "500g"]}]
    assert (data["isLowStock"], data["images"], data["thumbnails"]) == (False, [], [])
    assert Product.objects.get().name == "Shea butter"


def test_create_with_bad_fields_is_a_400_listing_each_field(merchant_api, store):
    response = merchant_api.post(
        "/api/v1/products",
        {"storeId": store.id, "name": "", "price": 100, "compareAtPrice": 50},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "message": "Name is required.",
        "error": {
            "code": "validation_error",
            "message": "Name is required.",
            "details": {
                "name": ["Name is required."],
                "compareAtPrice": ["Compare-at price must be above the price."],
            },
        },
    }
    assert Product.objects.count() == 0


def test_create_without_store_is_a_400(merchant_api):
    response = merchant_api.post("/api/v1/products", {"name": "A", "price": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "Choose one of your stores (storeId)."
    assert Product.objects.count() == 0


def test_anonymous_requests_are_refused(api_client, product):
    assert api_client.get("/api/v1/products").status_code == 401
    assert api_client.delete(f"/api/v1/products/{product.id}").status_code == 401
    assert api_client.post("/api/v1/upload/image").status_code == 401


def test_list_is_the_callers_products_filtered_and_paginated(merchant, merchant_api, store):
    other_store = StoreFactory(user=merchant)
    ProductFactory(store=store, name="Red shoe", category="Shoes", stock_quantity=1)
    ProductFactory(store=store, name="Blue shoe", category="Shoes", is_active=False)
    ProductFactory(store=other_store, name="Hat", category="Hats")
    ProductFactory(name="Someone else's shoe")
    ProductFactory(store=store, name="Deleted shoe", deleted_at="2026-01-01T00:00:00Z")

    def names(query=""):
        response = merchant_api.get(f"/api/v1/products{query}")
        assert response.status_code == 200
        return sorted(item["name"] for item in response.json()["data"])

    assert names() == ["Blue shoe", "Hat", "Red shoe"]
    assert names("?search=shoe") == ["Blue shoe", "Red shoe"]
    assert names(f"?storeId={other_store.id}") == ["Hat"]
    assert names("?category=Shoes&active=inactive") == ["Blue shoe"]
    assert names("?active=active") == ["Hat", "Red shoe"]
    assert names("?lowStock=true") == ["Red shoe"]

    page = merchant_api.get("/api/v1/products/my-products?limit=2&page=2").json()
    assert page["pagination"] == {"page": 2, "limit": 2, "total": 3, "pages": 2, "hasMore": False}
    assert len(page["data"]) == 1


def test_get_put_patch_delete(merchant_api, product):
    url = f"/api/v1/products/{product.id}"
    assert merchant_api.get(url).json()["data"]["id"] == product.id

    response = merchant_api.patch(url, {"stockQuantity": 0, "isFeatured": True}, format="json")
    assert response.status_code == 200
    assert (response.json()["data"]["stockQuantity"], response.json()["data"]["isFeatured"]) == (0, True)

    response = merchant_api.put(url, {"name": "Renamed", "price": "99.50"}, format="json")
    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.name, product.price, product.stock_quantity, product.is_featured) == (
        "Renamed",
        Decimal("99.50"),
        0,
        False,
    )

    response = merchant_api.delete(url)
    assert (response.status_code, response.json()["message"]) == (200, "Product deleted")
    assert merchant_api.get(url).status_code == 404


def test_bulk(merchant_api, store):
    products = ProductFactory.create_batch(2, store=store)
    response = merchant_api.post(
        "/api/v1/products/bulk",
        {"action": "deactivate", "productIds": [p.id for p in products]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"updated": 2}
    assert Product.objects.filter(is_active=False).count() == 2

    response = merchant_api.post(
        "/api/v1/products/bulk", {"action": "sell", "productIds": ["x"]}, format="json"
    )
    assert (response.status_code, response.json()["message"]) == (
        400,
        "Choose activate, deactivate or delete.",
    )


def test_upload_image_returns_absolute_urls(merchant_api, store, stored_names):
    response = merchant_api.post(
        "/api/v1/upload/image",
        {
            "file": SimpleUploadedFile("p.png", image_bytes("PNG", size=(2000, 1000)), "image/png"),
            "storeId": store.id,
        },
        format="multipart",
    )

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["url"].startswith(f"http://testserver/media/products/{store.id}/")
    assert data["thumbnailUrl"] == data["url"].replace(".jpg", "_thumb.jpg")
    assert len(stored_names(f"products/{store.id}")) == 2


def test_upload_of_a_text_file_is_a_clear_400_and_stores_nothing(merchant_api, store, stored_names):
    response = merchant_api.post(
        "/api/v1/upload/image",
        {"file": SimpleUploadedFile("cv.jpg", b"not an image at all", "image/jpeg"), "storeId": store.id},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_image",
        "message": "Upload a JPEG, PNG or WebP image.",
        "details": {},
    }
    assert stored_names(f"products/{store.id}") == []


def test_upload_without_a_file_is_a_400(merchant_api):
    response = merchant_api.post("/api/v1/upload/image", {}, format="multipart")
    assert (response.status_code, response.json()["message"]) == (400, 'Attach an image in the "file" field.')


def test_export_streams_csv(merchant_api, store):
    ProductFactory(store=store, name="=HYPERLINK(evil)", price=Decimal("10"), tags=["a", "b"])

    response = merchant_api.get("/api/v1/products/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="products-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert (rows[0]["store"], rows[0]["name"], rows[0]["price"], rows[0]["tags"]) == (
        store.username,
        "'=HYPERLINK(evil)",
        "10.00",
        "a, b",
    )


def test_import_creates_products(merchant_api, store):
    content = "name,price,stock_quantity,variations\nZobo,500,3,Size: Small | Large\n"
    response = merchant_api.post(
        "/api/v1/products/import",
        {"storeId": store.id, "file": SimpleUploadedFile("p.csv", content.encode(), "text/csv")},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"created": 1, "updated": 0}
    product = Product.objects.get()
    assert (product.name, product.price, product.variations) == (
        "Zobo",
        Decimal("500.00"),
        [{"name": "Size", "options": ["Small", "Large"]}],
    )


def test_import_with_bad_rows_is_a_400_listing_rows_and_writes_nothing(merchant_api, store):
    content = "name,price\nGood,100\n,abc\nAlso good,5\nBad,-1\n"
    response = merchant_api.post(
        "/api/v1/products/import",
        {"storeId": store.id, "file": SimpleUploadedFile("p.csv", content.encode(), "text/csv")},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "2 rows have errors; nothing was imported."
    assert body["error"]["details"] == {
        "rows": [
            {"row": 3, "errors": {"name": ["Name is required."], "price": ["Price must be a number."]}},
            {"row": 5, "errors": {"price": ["Price must be greater than 0."]}},
        ]
    }
    assert Product.objects.count() == 0


@pytest.mark.parametrize("count", [5, 50])
def test_list_runs_a_fixed_number_of_queries(merchant, merchant_api, django_assert_num_queries, count):
    for store in StoreFactory.create_batch(2, user=merchant):
        ProductFactory.create_batch(count, store=store)

    # count, page (the user comes from the token: one more)
    with django_assert_num_queries(3):
        response = merchant_api.get("/api/v1/products?limit=100")
    assert len(response.json()["data"]) == min(2 * count, 100)


@pytest.mark.parametrize("body", [["name", "price"], "a string", 42])
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_a_body_that_is_not_an_object_is_a_400(merchant_api, product, method, body):
    url = "/api/v1/products" if method == "post" else f"/api/v1/products/{product.id}"
    before = Product.objects.filter(pk=product.pk).values().get()

    response = getattr(merchant_api, method)(url, body, format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "Send the product as a JSON object."
    assert Product.objects.count() == 1
    assert Product.objects.filter(pk=product.pk).values().get() == before


def test_a_store_id_that_is_not_text_is_a_400(merchant_api):
    response = merchant_api.post(
        "/api/v1/products", {"storeId": ["x"], "name": "A", "price": 1}, format="json"
    )
    assert (response.status_code, response.json()["message"]) == (400, "Choose one of your stores (storeId).")
