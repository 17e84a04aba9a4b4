from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Product
from tests.catalog.conftest import image_bytes
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

LIST = "/dashboard/products/"


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


def form_data(**changes):
    data = {
        "name": "Adire shirt",
        "description": "Indigo tie-dye.",
        "price": "18,000",
        "compare_at_price": "",
        "cost_price": "",
        "sku": "ADR-1",
        "barcode": "",
        "stock_quantity": "4",
        "low_stock_threshold": "5",
        "weight": "0.3",
        "length": "",
        "width": "",
        "height": "",
        "dimension_unit": "",
        "variations": "Size: S | M | L\nColour: Blue",
        "category": "Shirts",
        "tags": "adire, indigo",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_login_is_required(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")


def test_list_shows_only_the_merchants_products(merchant_client, store):
    ProductFactory(store=store, name="Mine", stock_quantity=2)
    ProductFactory(name="Not mine")

    response = merchant_client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Mine" in page
    assert "Not mine" not in page
    assert "low</span>" in page


def test_list_filters_and_htmx_returns_only_the_table(merchant_client, store):
    ProductFactory(store=store, name="Red shoe", category="Shoes")
    ProductFactory(store=store, name="Green hat", category="Hats")

    response = merchant_client.get(LIST, {"search": "shoe"})
    assert "Red shoe" in response.content.decode()
    assert "Green hat" not in response.content.decode()

    response = merchant_client.get(LIST, {"category": "Hats"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.startswith('<div id="product-table">')
    assert "Green hat" in page
    assert "Red shoe" not in page


@pytest.mark.parametrize("count", [5, 50])
def test_list_runs_a_fixed_number_of_queries(merchant_client, merchant, django_assert_num_queries, count):
    for store in StoreFactory.create_batch(2, user=merchant):
        ProductFactory.create_batch(count, store=store, category="Bags")

    # session, user, stores, categories, count, page, unread notifications (the bell)
    with django_assert_num_queries(7):
        response = merchant_client.get(LIST)
    assert response.status_code == 200


def test_create_with_images(merchant_client, store, stored_names):
    files = [
        SimpleUploadedFile("a.jpg", image_bytes("JPEG", size=(2400, 1200)), "image/jpeg"),
        SimpleUploadedFile("b.png", image_bytes("PNG", size=(300, 300)), "image/png"),
    ]
    response = merchant_client.post(
        "/dashboard/products/new/", {**form_data(store=store.id), "images": files}
    )

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/products/{product.pk}/"
    assert (product.name, product.price, product.stock_quantity, product.tags) == (
        "Adire shirt",
        Decimal("18000.00"),
        4,
        ["adire", "indigo"],
    )
    assert product.variations == [
        {"name": "Size", "options": ["S", "M", "L"]},
        {"name": "Colour", "options": ["Blue"]},
    ]
    assert len(product.images) == 2
    assert len(stored_names(f"products/{store.id}")) == 4


def test_create_with_a_bad_image_shows_the_error_and_writes_nothing(merchant_client, store, stored_names):
    files = [
        SimpleUploadedFile("a.jpg", image_bytes("JPEG"), "image/jpeg"),
        SimpleUploadedFile("notes.jpg", b"just text", "image/jpeg"),
    ]
    response = merchant_client.post(
        "/dashboard/products/new/", {**form_data(store=store.id), "images": files}
    )

    assert response.status_code == 400
    assert "notes.jpg: Upload a JPEG, PNG or WebP image." in response.content.decode()
    assert Product.objects.count() == 0
    assert stored_names(f"products/{store.id}") == []


def test_create_with_bad_fields_shows_each_error_and_writes_nothing(merchant_client, store):
    response = merchant_client.post(
        "/dashboard/products/new/",
        form_data(store=store.id, price="0", compare_at_price="abc", variations="Size S"),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Price must be greater than 0." in page
    assert "Compare-at price must be a number." in page
    assert "Write variations as &quot;Size: S | M | L; Colour: Red | Blue&quot;." in page
    assert Product.objects.count() == 0


def test_edit_keeps_unticked_images_out_and_saves(merchant_client, store):
    product = ProductFactory(
        store=store, images=["https://cdn.test/a.jpg", "https://cdn.test/b.jpg", "https://cdn.test/c.jpg"]
    )

    response = merchant_client.get(f"/dashboard/products/{product.pk}/")
    assert response.status_code == 200
    assert 'value="https://cdn.test/b.jpg" checked' in response.content.decode()

    response = merchant_client.post(
        f"/dashboard/products/{product.pk}/",
        {
            **form_data(name="Renamed"),
            "keep_images": ["https://cdn.test/b.jpg", "https://cdn.test/c.jpg", "https://evil.test/x.jpg"],
            "main_image": "https://cdn.test/c.jpg",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.images) == ("Renamed", ["https://cdn.test/c.jpg", "https://cdn.test/b.jpg"])


def test_duplicate_and_delete(merchant_client, product):
    response = merchant_client.post(f"/dashboard/products/{product.pk}/duplicate/")
    copy = Product.objects.exclude(pk=product.pk).get()
    assert response["Location"] == f"/dashboard/products/{copy.pk}/"
    assert copy.is_active is False

    assert merchant_client.get(f"/dashboard/products/{product.pk}/delete/").status_code == 200
    response = merchant_client.post(f"/dashboard/products/{product.pk}/delete/")
    assert response["Location"] == LIST
    product.refresh_from_db()
    assert product.deleted_at is not None


def test_bulk_action_from_the_list(merchant_client, store):
    products = ProductFactory.create_batch(3, store=store)
    response = merchant_client.post(
        "/dashboard/products/bulk/",
        {"action": "deactivate", "ids": [products[0].pk, products[1].pk], "query": "search=Product"},
    )
    assert response["Location"] == f"{LIST}?search=Product"
    assert Product.objects.filter(is_active=False).count() == 2
    follow = merchant_client.get(response["Location"])
    assert "2 products deactivated." in follow.content.decode()


def test_export_and_import_round_trip(merchant_client, store):
    original = ProductFactory(
        store=store,
        name="+Plus sign",
        price=Decimal("1500.50"),
        compare_at_price=Decimal("2000"),
        sku="S-1",
        dimensions={"length": "10.00", "width": "5.00", "height": "2.00", "unit": "cm"},
        variations=[{"name": "Size", "options": ["S", "M"]}],
        tags=["x", "y"],
        images=["https://cdn.test/a.jpg"],
        is_featured=True,
    )
    before = Product.objects.filter(pk=original.pk).values().get()
    exported = b"".join(merchant_client.get("/dashboard/products/export/").streaming_content)
    # the merchant adds a row in the spreadsheet
    exported += b",,New item,,250,,,,,1,,,,,,,,,,,true,false\r\n"

    response = merchant_client.post(
        "/dashboard/products/import/",
        {"store": store.id, "file": SimpleUploadedFile("p.csv", exported, "text/csv")},
    )

    assert response.status_code == 302
    after = Product.objects.filter(pk=original.pk).values().get()
    assert {key: value for key, value in after.items() if key != "updated_at"} == {
        key: value for key, value in before.items() if key != "updated_at"
    }
    new = Product.objects.exclude(pk=original.pk).get()
    assert (new.name, new.price, new.stock_quantity, new.store_id) == (
        "New item",
        Decimal("250.00"),
        1,
        store.id,
    )


def test_import_with_a_bad_row_lists_it_and_writes_nothing(merchant_client, store, product):
    content = f"id,name,price\n{product.pk},Changed,100\n,New,free\n".encode()
    response = merchant_client.post(
        "/dashboard/products/import/",
        {"store": store.id, "file": SimpleUploadedFile("p.csv", content, "text/csv")},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "1 row has errors; nothing was imported." in page
    assert (
        '<tr><td class="table__primary">Line 3</td><td data-label="Column">price</td>'
        '<td data-label="Problem">Price must be a number.</td></tr>'
    ) in page
    assert Product.objects.count() == 1
    product.refresh_from_db()
    assert product.name != "Changed"


def test_import_of_a_non_utf8_file_is_explained(merchant_client, store):
    response = merchant_client.post(
        "/dashboard/products/import/",
        {
            "store": store.id,
            "file": SimpleUploadedFile("p.csv", "name,price\nCafé,1\n".encode("utf-16"), "text/csv"),
        },
    )
    assert response.status_code == 400
    assert "save it as “CSV UTF-8”" in response.content.decode()
    assert Product.objects.count() == 0


def test_more_than_ten_images_in_all_is_refused_and_nothing_is_stored(merchant_client, store, stored_names):
    images = [f"https://cdn.test/{n}.jpg" for n in range(9)]
    product = ProductFactory(store=store, images=images)
    files = [
        SimpleUploadedFile(f"{n}.jpg", image_bytes("JPEG", size=(20, 20)), "image/jpeg") for n in range(2)
    ]

    response = merchant_client.post(
        f"/dashboard/products/{product.pk}/", {**form_data(), "keep_images": images, "images": files}
    )

    assert response.status_code == 400
    assert "Images: At most 10 images." in response.content.decode()
    product.refresh_from_db()
    assert product.images == images
    assert stored_names(f"products/{store.id}") == []
