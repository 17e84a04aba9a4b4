"""Onboarding's first product: price, stock and a photo, created by the catalogue's own service,
so a new store opens with something a shopper can buy."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Product
from tests.stores.factories import StoreFactory

pytestmark = pytest.mark.django_db


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), (180, 60, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile("jollof.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


def url(store) -> str:
    return f"/dashboard/onboarding/{store.pk}/product/"


def test_the_first_product_has_its_price_stock_and_photo_and_is_buyable(merchant_client, merchant, client):
    store = StoreFactory(user=merchant, template_id="products")

    response = merchant_client.post(
        url(store), {"name": " Jollof ", "price": "2,500.5", "stock_quantity": "12", "photo": photo()}
    )

    assert response.status_code == 302
    product = Product.objects.get(store=store)
    assert (product.name, str(product.price), product.stock_quantity, product.is_active) == (
        "Jollof",
        "2500.50",
        12,
        True,
    )
    [image] = product.images
    stem = image.split("/media/", 1)[1].removesuffix(".jpg")
    assert default_storage.exists(f"{stem}_thumb_webp.webp")
    page = client.get(f"/{store.username}/p/{product.pk}").content.decode()
    assert "Add to cart" in page and "Sold out" not in page


def test_a_bookings_stores_first_service_asks_for_no_stock(merchant_client, merchant):
    store = StoreFactory(user=merchant, template_id="bookings")

    assert "stock_quantity" not in merchant_client.get(url(store)).content.decode()
    merchant_client.post(url(store), {"name": "Braids", "price": "15000"})

    assert Product.objects.get(store=store).stock_quantity is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"price": "0"}, "price", "Price must be greater than 0."),
        ({"price": "abc"}, "price", "Price must be a number."),
        ({"stock_quantity": "-1"}, "stock_quantity", "greater than or equal to 0"),
        (
            {"photo": SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")},
            "photo",
            "Upload a",
        ),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_written(
    merchant_client, merchant, data, field, message
):
    store = StoreFactory(user=merchant, template_id="products")

    response = merchant_client.post(
        url(store), {"name": "Jollof", "price": "2500", "stock_quantity": "3", **data}
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Product.objects.count() == 0
