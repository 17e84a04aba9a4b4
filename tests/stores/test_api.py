from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Product
from stores.models import Store
from tests.stores.factories import ProductFactory, StoreFactory, products_for

pytestmark = pytest.mark.django_db


def test_list_and_my_stores_show_only_the_callers_live_stores(merchant, merchant_api):
    mine = StoreFactory(user=merchant, username="mine-one")
    StoreFactory(user=merchant, username="mine-gone", deleted_at=timezone.now())
    StoreFactory(username="not-mine")

    for url in ("/api/v1/stores", "/api/v1/stores/my-stores"):
        body = merchant_api.get(url).json()
        assert [store["username"] for store in body["data"]] == ["mine-one"]
        assert body["data"][0]["id"] == mine.pk
        assert body["data"][0]["displayName"] == mine.display_name
        assert body["pagination"] == {"page": 1, "limit": 20, "total": 1, "pages": 1, "hasMore": False}


def test_store_endpoints_need_a_login(api_client):
    assert api_client.get("/api/v1/stores").status_code == 401
    assert api_client.post("/api/v1/stores", {}, format="json").status_code == 401


def test_create_store(merchant, merchant_api):
    response = merchant_api.post(
        "/api/v1/stores",
        {
            "username": "ada-shoes",
            "displayName": "Ada Shoes",
            "templateId": "portfolio",
            "customColors": {"primary": "#123456"},
            "socialLinks": {"whatsapp": "08031234567"},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "Store created"
    assert body["data"]["username"] == "ada-shoes"
    assert body["data"]["url"] == "http://testserver/ada-shoes"
    assert body["data"]["customColors"] == {"primary": "#123456"}
    assert body["data"]["socialLinks"] == {"whatsapp": "+2348031234567"}
    assert Store.objects.get(username="ada-shoes").user == merchant


def test_create_store_with_bad_input_is_a_400_and_writes_nothing(merchant_api):
    response = merchant_api.post(
        "/api/v1/stores",
        {"username": "Bad Name", "displayName": "", "customFonts": {"body": "Papyrus"}},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "validation_error"
    assert set(body["error"]["details"]) == {"username", "displayName", "customFonts"}
    assert Store.objects.count() == 0


def test_create_store_with_a_taken_username_is_a_409_with_suggestions(merchant_api):
    StoreFactory(username="ada-shoes")

    response = merchant_api.post(
        "/api/v1/stores", {"username": "ada-shoes", "displayName": "A"}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "username_taken"
    assert body["error"]["details"]["suggestions"][:2] == ["ada-shoes-ng", "ada-shoes-shop"]
    assert Store.objects.count() == 1


def test_username_check_is_public(api_client):
    StoreFactory(username="taken-name")

    free = api_client.get("/api/v1/stores/check/free-name").json()
    taken = api_client.get("/api/v1/stores/check/taken-name").json()
    reserved = api_client.get("/api/v1/stores/check/admin").json()

    assert free["data"] == {
        "username": "free-name",
        "available": True,
        "message": "This username is available.",
        "suggestions": [],
    }
    assert taken["data"]["available"] is False
    assert taken["data"]["suggestions"][0] == "taken-name-ng"
    assert reserved["data"]["message"] == "This name is reserved by the platform."


def test_public_store_by_username(api_client):
    store = StoreFactory(username="ada-shoes", display_name="Ada")
    StoreFactory(username="closed-shop", is_active=False)

    body = api_client.get("/api/v1/stores/ada-shoes").json()
    assert body["data"]["id"] == store.pk
    assert "isActive" not in body["data"]
    assert api_client.get("/api/v1/stores/closed-shop").status_code == 404
    assert api_client.get("/api/v1/stores/nobody").json()["error"]["code"] == "not_found"


def test_owner_reads_updates_and_deletes_a_store_by_id(merchant, merchant_api):
    store = StoreFactory(user=merchant, display_name="Before")

    assert merchant_api.get(f"/api/v1/stores/{store.pk}").json()["data"]["displayName"] == "Before"

    patched = merchant_api.patch(
        f"/api/v1/stores/{store.pk}", {"description": "New words", "isActive": False}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["data"]["description"] == "New words"
    assert patched.json()["data"]["isActive"] is False

    put = merchant_api.put(f"/api/v1/stores/{store.pk}", {"description": "x"}, format="json")
    assert put.status_code == 400
    assert put.json()["error"]["details"] == {"displayName": ["This field is required."]}

    assert (
        merchant_api.put(f"/api/v1/stores/{store.pk}", {"displayName": "After"}, format="json").status_code
        == 200
    )
    assert merchant_api.delete(f"/api/v1/stores/{store.pk}").status_code == 200

    store.refresh_from_db()
    assert (store.display_name, store.description, store.is_active) == ("After", "New words", False)
    assert store.deleted_at is not None
    assert merchant_api.get(f"/api/v1/stores/{store.pk}").status_code == 404


@pytest.mark.parametrize(
    ("method", "payload"),
    [
        ("get", None),
        ("put", {"displayName": "Hijacked"}),
        ("patch", {"displayName": "Hijacked", "isActive": False}),
        ("delete", None),
    ],
)
def test_another_merchant_gets_404_for_every_store_endpoint_and_nothing_changes(
    merchant, other_merchant_api, method, payload
):
    store = StoreFactory(user=merchant, display_name="Mine")
    before = Store.objects.filter(pk=store.pk).values().get()

    response = getattr(other_merchant_api, method)(f"/api/v1/stores/{store.pk}", payload, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Store.objects.filter(pk=store.pk).values().get() == before


def test_public_products_filters_sort_and_pagination(api_client):
    store = StoreFactory(username="ada-shoes")
    products_for(store, 6)
    Product.objects.filter(name="Item 005").update(stock_quantity=0)
    ProductFactory(store=store, name="Hidden", is_active=False)
    ProductFactory(name="Elsewhere")

    def names(query):
        body = api_client.get(f"/api/v1/stores/ada-shoes/products{query}").json()
        return [product["name"] for product in body["data"]], body.get("pagination")

    assert names("?sort=price_desc&limit=2") == (
        ["Item 005", "Item 004"],
        {"page": 1, "limit": 2, "total": 6, "pages": 3, "hasMore": True},
    )
    assert names("?sort=price_asc&minPrice=1200&maxPrice=1400")[0] == ["Item 002", "Item 003", "Item 004"]
    assert names("?sort=name&category=Shoes")[0] == ["Item 001", "Item 003", "Item 005"]
    assert names("?sort=name&category=Shoes&inStock=true")[0] == ["Item 001", "Item 003"]
    assert names("?sort=name&search=zzzzz")[0] == []


def test_public_products_bad_price_is_a_400(api_client):
    StoreFactory(username="ada-shoes")

    response = api_client.get("/api/v1/stores/ada-shoes/products?minPrice=cheap")

    assert response.status_code == 400
    assert response.json()["message"] == "minPrice must be a number of naira, 0 or more."


def test_public_product_detail(api_client):
    store = StoreFactory(username="ada-shoes")
    product = ProductFactory(
        store=store, price=Decimal("1500.00"), stock_quantity=1, dimensions={"duration_minutes": 45}
    )
    hidden = ProductFactory(store=store, deleted_at=timezone.now())

    data = api_client.get(f"/api/v1/stores/ada-shoes/products/{product.pk}").json()["data"]

    assert data["id"] == product.pk
    assert data["price"] == "1500.00"
    assert (data["inStock"], data["stockLabel"], data["durationMinutes"]) == (True, "Only 1 left", 45)
    assert data["url"] == f"http://testserver/ada-shoes/p/{product.pk}"
    assert api_client.get(f"/api/v1/stores/ada-shoes/products/{hidden.pk}").status_code == 404
    other = StoreFactory(username="other-shop")
    assert api_client.get(f"/api/v1/stores/{other.username}/products/{product.pk}").status_code == 404
