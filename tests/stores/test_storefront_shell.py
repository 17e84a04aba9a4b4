"""The shopper's pages: one shell with the store's header and cart on every page, branded
error pages, images at the size asked for, caching and compression, and a byte budget."""

import gzip
import json
import re
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory

from config.media import serve_media
from orders.services import order_place, order_transition
from stores.branding import contrast_ratio
from tests.factories import ProductFactory, StoreFactory
from tests.stores.page_weight import BUDGET_BYTES, page_weight, photo_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHOPPER = {
    "name": "Ada Obi",
    "phone": "08031234567",
    "address": "12 Allen Avenue",
    "state": "Lagos",
    "lga": "Ikeja",
}


@pytest.fixture
def shop(store):
    store.custom_colors = {"primary": "#0f766e"}
    store.save()
    products = [
        ProductFactory(
            store=store,
            name=f"Product {n}",
            price=D("2500.00"),
            stock_quantity=5,
            is_featured=n < 4,
            category="Food" if n % 2 else "Gifts",
            images=[photo_url(store, n), photo_url(store, n + 1)] if n == 0 else [photo_url(store, n)],
        )
        for n in range(12)
    ]
    return store, products


def placed_order(client, store, product):
    client.post(f"/{store.username}/cart", {"action": "add", "product_id": product.pk, "quantity": 1})
    checkout = client.get(f"/{store.username}/checkout")
    token = checkout.context["form"]["token"].value()
    client.post(f"/{store.username}/checkout", {**SHOPPER, "delivery_method": "delivery", "token": token})
    from orders.models import Order

    return Order.objects.get(store=store)


def shopper_pages(client, store, products) -> dict[str, str]:
    order = placed_order(client, store, products[0])
    payment = order.payments.get()
    client.post(f"/{store.username}/cart", {"action": "add", "product_id": products[1].pk, "quantity": 2})
    return {
        "home": f"/{store.username}",
        "product": f"/{store.username}/p/{products[0].pk}",
        "about": f"/{store.username}/about",
        "cart": f"/{store.username}/cart",
        "checkout": f"/{store.username}/checkout",
        "pay": f"/{store.username}/pay/{payment.payment_reference}",
        "placed": f"/{store.username}/orders/{order.order_number}",
        "track": f"/track/{order.order_number}",
    }


def test_every_shopper_page_has_the_store_header_with_its_cart_count(client, shop):
    store, products = shop
    pages = shopper_pages(client, store, products)

    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert '<header class="store-header">' in html, name
        assert f'<span class="store-brand__name">{store.display_name}</span>' in html, name
        assert "--color-primary:#0f766e;" in html, name
        # the cached pages too: each visitor's own count is filled in
        assert (
            f'href="/{store.username}/cart"' in html and '<span class="cart-link__count">2</span>' in html
        ), name

    stranger = client_class_copy(client)
    assert '<span class="cart-link__count">0</span>' in stranger.get(pages["home"]).content.decode()


def client_class_copy(client):
    return type(client)()


def test_a_store_page_that_does_not_exist_is_a_branded_404(client, shop):
    store, _products = shop

    for url in (
        f"/{store.username}/no-such-page",
        f"/{store.username}/p/00000000-0000-4000-8000-000000000000",
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404
        assert '<header class="store-header">' in html and "--color-primary:#0f766e;" in html
        assert f"Back to {store.display_name}" in html

    response = client.get("/no-such-store/anything")
    assert response.status_code == 404
    assert "store-header" not in response.content.decode()


def test_the_internal_note_never_reaches_the_tracking_page(client, shop):
    store, products = shop
    order = order_place(store=store, customer=SHOPPER, lines=[{"product_id": products[0].pk, "quantity": 1}])
    order_transition(
        order=order, to_status="confirmed", note="INTERNAL: ring Musa", customer_message="Packed today"
    )

    public = client.get(f"/track/{order.order_number}").content.decode()
    verified = client.post(f"/track/{order.order_number}", {"contact": "08031234567"}).content.decode()

    for html in (public, verified):
        assert "Packed today" in html
        assert "INTERNAL" not in html and "ring Musa" not in html
    assert "Ada Obi" in verified


def test_cards_use_the_thumbnail_with_srcset_and_only_the_first_is_eager(client, shop):
    store, _products = shop
    html = client.get(f"/{store.username}").content.decode()

    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 4 + 12  # the featured row, then the catalogue
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in image and "fetchpriority" not in image for image in images[1:])
    assert all(re.search(r'src="[^"]+-v2_thumb\.jpg"', image) for image in images)
    assert all(
        re.search(r'srcset="[^"]+_thumb\.jpg 400w, [^"]+_800\.jpg 800w, [^"]+\.jpg 1600w"', i) for i in images
    )
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)"', html)
    assert len(sources) == 16 and all(
        source.split(",")[0].endswith("_thumb_webp.webp 400w") for source in sources
    )


def test_the_product_page_shows_the_large_images_as_a_gallery(client, shop):
    store, products = shop
    html = client.get(f"/{store.username}/p/{products[0].pk}").content.decode()

    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' in images[1]
    assert all('sizes="(min-width: 64rem) 36rem, 100vw"' in image and "1600w" in image for image in images)
    assert '<a href="#photo-2">Photo 2</a>' in html


def test_products_without_photos_get_a_drawn_placeholder(client, store):
    ProductFactory(store=store, name="Zobo", images=[])
    html = client.get(f"/{store.username}").content.decode()
    assert '<span class="no-image" aria-hidden="true">Z</span>' in html


def test_one_stylesheet_per_page_without_imports(client, shop):
    store, products = shop
    for url in shopper_pages(client, store, products).values():
        html = client.get(url).content.decode()
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/css/storefront.css"], (
            url
        )
    css = re.sub(r"/\*.*?\*/", "", Path(finders.find("css/storefront.css")).read_text(), flags=re.S)
    assert "@import" not in css


def test_shopper_html_is_gzipped_and_private_pages_are_not(client, shop, merchant):
    store, _products = shop
    response = client.get(f"/{store.username}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(response.content)

    client.force_login(merchant)
    assert not client.get("/dashboard/", HTTP_ACCEPT_ENCODING="gzip").has_header("Content-Encoding")
    posted = client.post(f"/{store.username}/cart", {"action": "add"}, HTTP_ACCEPT_ENCODING="gzip")
    assert not posted.has_header("Content-Encoding")


def test_media_and_static_files_are_cached_long(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "a-v2_thumb.jpg").write_bytes(b"jpeg")

    response = serve_media(RequestFactory().get("/media/products/a-v2_thumb.jpg"), "products/a-v2_thumb.jpg")

    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "max-age=86400" in client.get("/static/css/storefront.css")["Cache-Control"]


MAKE_RUN_STATIC = """
import json, sys
import django
from django.conf import settings
django.setup()
settings.STATIC_ROOT = sys.argv[1]
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

call_command("collectstatic", interactive=False, verbosity=0)
url = static("css/storefront.css")
served = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))(
    RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip")
)
print(json.dumps({"debug": settings.DEBUG, "url": url, "status": served.status_code,
    "encoding": served.get("Content-Encoding"), "cache": served.get("Cache-Control")}))
"""


def test_make_runs_settings_serve_hashed_gzipped_static_files(tmp_path):
    """`make run` (DEBUG) links the hashed names, which WhiteNoise serves gzipped and cached
    for good from the collected files, as production does."""
    result = subprocess.run(
        [sys.executable, "-c", MAKE_RUN_STATIC, str(tmp_path)],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.local", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    served = json.loads(result.stdout)
    assert served["debug"] is True
    assert re.fullmatch(r"/static/css/storefront\.[0-9a-f]{12}\.css", served["url"]), served
    assert (served["status"], served["encoding"]) == (200, "gzip")
    assert served["cache"] == "max-age=315360000, public, immutable"
    assert "collectstatic" in (ROOT / "Makefile").read_text()


def test_every_shopper_page_stays_under_100_kb_on_first_load(client, shop):
    store, products = shop
    weights = {
        name: page_weight(client.get(url, HTTP_ACCEPT_ENCODING="gzip"))
        for name, url in shopper_pages(client, store, products).items()
    }

    assert all(weight < BUDGET_BYTES for weight in weights.values()), weights


@pytest.mark.parametrize(
    ("colours", "expected"),
    [
        # a pale yellow store: dark text on it, and a darker shade of it for links on white
        (
            {"primary": "#fde047", "accent": "#be123c"},
            "--color-on-primary:#111827;--color-primary-text:#7e7024;",
        ),
        (
            {"primary": "#1e3a8a", "accent": "#fde047"},
            "--color-on-primary:#ffffff;--color-primary-text:#1e3a8a;",
        ),
    ],
)
def test_any_store_colour_keeps_text_readable(client, colours, expected):
    store = StoreFactory(custom_colors=colours)
    html = client.get(f"/{store.username}").content.decode()
    assert expected in html
    variables = dict(re.findall(r"(--color-[\w-]+):(#[0-9a-f]{6});", html))
    assert contrast_ratio(variables["--color-primary-text"], "#ffffff") >= 4.5
    assert contrast_ratio(variables["--color-on-primary"], variables["--color-primary"]) >= 4.5
    assert contrast_ratio(variables["--color-on-accent"], variables["--color-accent"]) >= 4.5


def test_amounts_are_written_one_way_on_every_shopper_page(client, shop):
    store, products = shop
    for name, url in shopper_pages(client, store, products).items():
        html = client.get(url).content.decode()
        assert re.findall(r"₦\d{4}|₦[\d,]+\.00\b", html) == [], name
        assert re.search(r"₦\d{1,3},\d{3}\b", html) or name in ("about", "track"), name


def test_the_pay_page_shows_the_breakdown_and_payment_received_leads_on(client, shop):
    store, products = shop
    order = placed_order(client, store, products[0])
    payment = order.payments.get()
    pay = f"/{store.username}/pay/{payment.payment_reference}"

    html = client.get(pay).content.decode()
    assert "<dt>Subtotal</dt><dd>₦2,500</dd>" in html
    assert '<dt class="breakdown__total">Total</dt><dd class="breakdown__total">₦2,500</dd>' in html

    payment.status = "paid"
    payment.save(update_fields=["status"])
    html = client.get(pay).content.decode()
    assert "Payment received" in html
    assert f'href="/{store.username}/orders/{order.order_number}">See your order and receipt</a>' in html
    assert f'href="/track/{order.order_number}">Track this order</a>' in html


def test_the_order_placed_page_is_a_receipt_with_next_steps_and_sharing(client, shop):
    store, products = shop
    order = placed_order(client, store, products[0])

    html = client.get(f"/{store.username}/orders/{order.order_number}").content.decode()

    assert "What happens next" in html and "Receipt" in html and "12 Allen Avenue, Ikeja, Lagos" in html
    assert f"https://wa.me/?text=My%20order%20{order.order_number}" in html
    assert "data-print" in html and "@media print" in Path(finders.find("css/storefront.css")).read_text()


def test_the_whatsapp_buttons_meet_aa_contrast():
    css = Path(finders.find("css/storefront.css")).read_text()
    colour = re.search(r"--color-whatsapp:(#[0-9a-f]{6})", css).group(1)
    assert ".btn--whatsapp{background:var(--color-whatsapp);color:#fff}" in css
    assert contrast_ratio("#ffffff", colour) >= 4.5
