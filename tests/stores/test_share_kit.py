"""The share kit: QR codes, Open Graph cards, short links and the dashboard page."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from catalog.models import Product
from stores.og_images import og_version
from stores.presentation import product_slug
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def shop(merchant):
    return StoreFactory(user=merchant, username="ada-shoes", display_name="Ada Shoes")


@pytest.fixture
def owner(merchant):
    client = Client()
    client.force_login(merchant)
    return client


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(content)).size


def test_store_qr_codes_are_poster_sized_png_and_parseable_svg(client, shop):
    png = client.get("/ada-shoes/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    width, height = png_size(png.content)
    assert width == height and width >= 1000  # printable on an A4 poster
    svg = client.get("/ada-shoes/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox").startswith("0 0 ")
    assert client.get("/no-such-store/qr.png").status_code == 404


def test_product_qr_code_and_unknown_product(client, shop):
    product = ProductFactory(store=shop)
    response = client.get(f"/ada-shoes/p/{product.pk}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png_size(response.content)[0] >= 1000
    assert client.get("/ada-shoes/p/00000000-0000-4000-8000-000000000000/qr.png").status_code == 404


def test_og_image_is_1200_by_630_and_the_page_points_to_it(client, shop, html_meta):
    product = ProductFactory(store=shop, name="Ankara Dress", price=Decimal("15000"), stock_quantity=2)
    page = client.get(f"/ada-shoes/p/{product.pk}").content.decode()
    meta = html_meta(page)
    assert meta["og:image"] == f"{SITE}/ada-shoes/p/{product.pk}/og.png?v={og_version(product)}"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    card = client.get(meta["og:image"].removeprefix(SITE))
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    assert png_size(card.content) == (1200, 630)
    assert card["Cache-Control"] == "public, max-age=31536000"
    assert default_storage.exists(f"og/{shop.pk}/{product.pk}/{og_version(product)}.png")


def test_og_image_is_redrawn_when_the_product_changes(client, shop):
    product = ProductFactory(store=shop, name="Ankara Dress", price=Decimal("15000"), stock_quantity=20)
    before = og_version(product)
    first = client.get(f"/ada-shoes/p/{product.pk}/og.png").content
    Product.objects.filter(pk=product.pk).update(stock_quantity=3)  # now "Only 3 left"
    product.refresh_from_db()
    after = og_version(product)
    assert after != before
    second = client.get(f"/ada-shoes/p/{product.pk}/og.png").content
    assert second != first
    assert png_size(second) == (1200, 630)
    assert default_storage.exists(f"og/{shop.pk}/{product.pk}/{after}.png")


def test_og_image_uses_the_products_own_photo(client, shop):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), (10, 200, 30)).save(buffer, format="JPEG")
    name = default_storage.save(f"products/{shop.pk}/photo.jpg", ContentFile(buffer.getvalue()))
    product = ProductFactory(store=shop, images=[f"{SITE}/media/{name}"])
    card = Image.open(io.BytesIO(client.get(f"/ada-shoes/p/{product.pk}/og.png").content)).convert("RGB")
    red, green, blue = card.getpixel((1000, 315))
    assert green > 150 and red < 60 and blue < 80


def test_short_link_and_old_id_link_show_the_same_product(client, shop, html_meta):
    product = ProductFactory(store=shop, name="Red Ankara Dress")
    slug = product_slug(product)
    assert slug == f"red-ankara-dress-{product.pk[:8]}"
    by_id = client.get(f"/ada-shoes/p/{product.pk}")
    short = client.get(f"/ada-shoes/p/{slug}")
    assert by_id.status_code == short.status_code == 200
    assert "Red Ankara Dress" in short.content.decode()
    canonical = f"{SITE}/ada-shoes/p/{product.pk}"
    assert html_meta(short.content.decode())["canonical"] == canonical
    assert html_meta(by_id.content.decode())["canonical"] == canonical
    # renamed since the link was shared: the id part still finds it
    assert client.get(f"/ada-shoes/p/old-name-{product.pk[:8]}").status_code == 200
    assert client.get("/ada-shoes/p/red-ankara-dress-00000000").status_code == 404
    other = StoreFactory(username="other-shop")
    assert client.get(f"/{other.username}/p/{slug}").status_code == 404


def test_dashboard_share_page_lists_links_and_toggles_whatsapp_ordering(owner, shop):
    product = ProductFactory(store=shop, name="Red Ankara Dress")
    page = owner.get("/dashboard/share/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{SITE}/ada-shoes" readonly' in html
    assert f'value="{SITE}/ada-shoes/p/{product_slug(product)}" readonly' in html
    assert 'href="/ada-shoes/qr.svg"' in html and f'href="/ada-shoes/p/{product.pk}/qr.png"' in html
    refused = owner.post(
        "/dashboard/share/whatsapp-ordering", {"store": shop.pk, "enabled": "on"}, follow=True
    )
    assert "Add the store&#x27;s WhatsApp number" in refused.content.decode()
    shop.social_links = {"whatsapp": "+2348031234567"}
    shop.save()
    owner.post("/dashboard/share/whatsapp-ordering", {"store": shop.pk, "enabled": "on"})
    assert 'id="whatsapp-enabled" name="enabled" checked' in owner.get("/dashboard/share/").content.decode()


def test_another_merchants_store_cannot_be_switched(client, shop, other_merchant):
    client.force_login(other_merchant)
    response = client.post(
        "/dashboard/share/whatsapp-ordering", {"store": shop.pk, "enabled": "on"}, follow=True
    )
    assert "Store not found." in response.content.decode()


def test_api_share_kit(merchant_api, other_merchant_api, shop):
    product = ProductFactory(store=shop, name="Red Ankara Dress")
    data = merchant_api.get(f"/api/v1/stores/{shop.pk}/share").json()["data"]
    assert data == {
        "storeUrl": f"{SITE}/ada-shoes",
        "qrPngUrl": f"{SITE}/ada-shoes/qr.png",
        "qrSvgUrl": f"{SITE}/ada-shoes/qr.svg",
        "whatsappShareUrl": "https://wa.me/?text=http%3A%2F%2Ftestserver%2Fada-shoes",
        "whatsappOrdering": False,
    }
    refused = merchant_api.patch(f"/api/v1/stores/{shop.pk}/share", {"whatsappOrdering": True}, format="json")
    assert refused.status_code == 400
    products = merchant_api.get(f"/api/v1/stores/{shop.pk}/share/products").json()
    assert products["data"][0]["shortUrl"] == f"{SITE}/ada-shoes/p/{product_slug(product)}"
    assert products["data"][0]["ogImageUrl"].startswith(f"{SITE}/ada-shoes/p/{product.pk}/og.png?v=")
    assert products["pagination"]["total"] == 1
    assert other_merchant_api.get(f"/api/v1/stores/{shop.pk}/share").status_code == 404
