import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog.models import Product
from stores.models import Store
from tests.factories import DEFAULT_PASSWORD
from tests.stores.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


def png(size=(64, 64), colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_dashboard_pages_need_a_login(client):
    store = StoreFactory()
    for url in ("/dashboard/onboarding/", f"/dashboard/stores/{store.pk}/settings/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/auth/login/")


def test_username_check_fragment(merchant_client):
    StoreFactory(username="taken-name")

    free = merchant_client.get(
        "/dashboard/onboarding/check-username?username=Free-Name", HTTP_HX_REQUEST="true"
    )
    taken = merchant_client.get(
        "/dashboard/onboarding/check-username?username=taken-name", HTTP_HX_REQUEST="true"
    )

    assert free.status_code == 200
    assert "<strong>/free-name</strong>: This username is available." in free.content.decode()
    assert '<p id="username-status" class="ok"' in free.content.decode()
    assert "This username is taken." in taken.content.decode()
    assert "<code>taken-name-ng</code>" in taken.content.decode()
    assert "<html" not in taken.content.decode()


def test_onboarding_wizard_from_start_to_finish(client, merchant):
    client.force_login(merchant)
    assert (
        'hx-get="/dashboard/onboarding/check-username"'
        in client.get("/dashboard/onboarding/").content.decode()
    )

    response = client.post("/dashboard/onboarding/", {"display_name": "Ada Shoes", "username": "ada-shoes"})
    store = Store.objects.get(username="ada-shoes")
    assert response["Location"] == f"/dashboard/onboarding/{store.pk}/template/"

    response = client.post(f"/dashboard/onboarding/{store.pk}/template/", {"template_id": "bookings"})
    assert response["Location"] == f"/dashboard/onboarding/{store.pk}/branding/"

    response = client.post(
        f"/dashboard/onboarding/{store.pk}/branding/",
        {
            "primary": "#112233",
            "secondary": "#445566",
            "accent": "#778899",
            "heading_font": "classic-serif",
            "body_font": "system",
            "logo": png(),
        },
    )
    assert response["Location"] == f"/dashboard/onboarding/{store.pk}/product/"

    response = client.post(f"/dashboard/onboarding/{store.pk}/product/", {"name": "Braids", "price": "15000"})
    assert response["Location"] == f"/dashboard/onboarding/{store.pk}/bank/"
    assert "Skip for now" in client.get(f"/dashboard/onboarding/{store.pk}/bank/").content.decode()

    response = client.post(f"/dashboard/onboarding/{store.pk}/bank/")
    assert response["Location"] == "/dashboard/"

    store.refresh_from_db()
    merchant.refresh_from_db()
    assert store.user == merchant
    assert store.template_id == "bookings"
    assert store.custom_colors == {"primary": "#112233", "secondary": "#445566", "accent": "#778899"}
    assert store.custom_fonts == {"heading": "classic-serif", "body": "system"}
    name = re.fullmatch(
        rf"http://testserver/media/(stores/{store.pk}/[0-9a-f]{{32}}-v2)\.jpg", store.logo_url
    )
    assert default_storage.exists(f"{name.group(1)}.jpg")
    assert default_storage.exists(f"{name.group(1)}_thumb.jpg")
    assert list(Product.objects.filter(store=store).values_list("name", "price")) == [("Braids", 15000)]
    assert merchant.has_completed_onboarding is True
    assert "Ada Shoes" in client.get("/ada-shoes").content.decode()


def test_onboarding_with_a_taken_username_shows_suggestions(merchant_client):
    StoreFactory(username="ada-shoes")

    response = merchant_client.post(
        "/dashboard/onboarding/", {"display_name": "Ada", "username": "ada-shoes"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "This username is taken." in text
    assert "<code>ada-shoes-ng</code>" in text
    assert Store.objects.count() == 1


def test_first_product_can_be_skipped(merchant_client, merchant):
    store = StoreFactory(user=merchant)

    response = merchant_client.post(f"/dashboard/onboarding/{store.pk}/product/", {"skip": "1"})

    assert response["Location"] == f"/dashboard/onboarding/{store.pk}/bank/"
    assert Product.objects.count() == 0


def _bomb() -> SimpleUploadedFile:
    # A PNG that claims 20000 x 20000 pixels: tiny on disk, 400 megapixels decoded.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("logo.png", b"just some text, renamed", content_type="image/png"),
            "Upload a JPEG, PNG or WebP image.",
        ),
        (
            lambda: SimpleUploadedFile(
                "big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), content_type="image/png"
            ),
            "The image is larger than 10 MB.",
        ),
        (_bomb, "The image has too many pixels: at most 40 megapixels."),
    ],
)
def test_bad_logo_uploads_are_refused_and_nothing_changes(merchant_client, merchant, upload, message):
    store = StoreFactory(user=merchant, custom_colors={"primary": "#000000"})

    response = merchant_client.post(
        f"/dashboard/onboarding/{store.pk}/branding/",
        {"primary": "#ffffff", "heading_font": "system", "body_font": "system", "logo": upload()},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    store.refresh_from_db()
    assert (store.logo_url, store.custom_colors) == (None, {"primary": "#000000"})
    assert not default_storage.exists(f"stores/{store.pk}")


def test_store_settings_save_and_validate(merchant_client, merchant):
    store = StoreFactory(user=merchant, display_name="Before")
    assert 'value="Before"' in merchant_client.get(f"/dashboard/stores/{store.pk}/settings/").content.decode()
    form = {
        "display_name": "After",
        "description": "We make shoes.",
        "category": "Fashion",
        "template_id": "products",
        "primary": "#123456",
        "heading_font": "system",
        "body_font": "humanist",
        "instagram": "https://instagram.com/ada",
        "whatsapp": "0803 123 4567",
    }

    bad = merchant_client.post(f"/dashboard/stores/{store.pk}/settings/", {**form, "whatsapp": "123"})
    assert "WhatsApp: Enter a valid Nigerian mobile number" in bad.content.decode()
    store.refresh_from_db()
    assert store.display_name == "Before"

    response = merchant_client.post(f"/dashboard/stores/{store.pk}/settings/", form)
    assert response.status_code == 302
    store.refresh_from_db()
    assert (store.display_name, store.category, store.custom_fonts) == (
        "After",
        "Fashion",
        {"heading": "system", "body": "humanist"},
    )
    assert store.social_links == {"instagram": "https://instagram.com/ada", "whatsapp": "+2348031234567"}


def test_hide_and_delete_a_store(merchant_client, merchant):
    store = StoreFactory(user=merchant)

    merchant_client.post(f"/dashboard/stores/{store.pk}/status/", {"is_active": "false"})
    store.refresh_from_db()
    assert store.is_active is False

    response = merchant_client.post(f"/dashboard/stores/{store.pk}/delete/")
    assert response["Location"] == "/dashboard/"
    store.refresh_from_db()
    assert store.deleted_at is not None


DASHBOARD_PAGES = [
    ("get", "/dashboard/stores/{id}/settings/", None),
    (
        "post",
        "/dashboard/stores/{id}/settings/",
        {
            "display_name": "Hijacked",
            "template_id": "products",
            "heading_font": "system",
            "body_font": "system",
        },
    ),
    ("post", "/dashboard/stores/{id}/status/", {"is_active": "false"}),
    ("get", "/dashboard/stores/{id}/delete/", None),
    ("post", "/dashboard/stores/{id}/delete/", None),
    ("get", "/dashboard/onboarding/{id}/template/", None),
    ("post", "/dashboard/onboarding/{id}/template/", {"template_id": "portfolio"}),
    ("get", "/dashboard/onboarding/{id}/branding/", None),
    (
        "post",
        "/dashboard/onboarding/{id}/branding/",
        {"primary": "#ffffff", "heading_font": "system", "body_font": "system"},
    ),
    ("get", "/dashboard/onboarding/{id}/product/", None),
    ("post", "/dashboard/onboarding/{id}/product/", {"name": "Spam", "price": "1"}),
    ("post", "/dashboard/onboarding/{id}/product/", {"skip": "1"}),
    ("get", "/dashboard/onboarding/{id}/bank/", None),
    ("post", "/dashboard/onboarding/{id}/bank/", None),
]


@pytest.mark.parametrize(("method", "url", "data"), DASHBOARD_PAGES)
def test_another_merchant_gets_404_on_every_store_page_and_nothing_changes(
    client, merchant, other_merchant, method, url, data
):
    store = StoreFactory(user=merchant, display_name="Mine", template_id="products")
    before = Store.objects.filter(pk=store.pk).values().get()
    client.force_login(other_merchant)

    response = getattr(client, method)(url.format(id=store.pk), data or {})

    assert response.status_code == 404
    assert Store.objects.filter(pk=store.pk).values().get() == before
    assert Product.objects.count() == 0
    other_merchant.refresh_from_db()
    assert other_merchant.has_completed_onboarding is False


def test_the_store_list_shows_only_my_stores(merchant_client, merchant):
    StoreFactory(user=merchant, display_name="My Shop")
    StoreFactory(display_name="Their Shop")

    text = merchant_client.get("/dashboard/stores/").content.decode()

    assert "My Shop" in text and "Their Shop" not in text


def test_login_with_password_reaches_the_dashboard(client, merchant):
    assert client.login(username=merchant.email, password=DEFAULT_PASSWORD)
    assert client.get("/dashboard/").status_code == 200


# (label, URL name or, for pages built in other apps' branches, a plain path)
NAV_LINKS = [
    ("Home", "dashboard:home"),
    ("Orders", "dashboard:orders_dashboard:list"),
    ("Products", "dashboard:catalog_dashboard:list"),
    ("Customers", "dashboard:orders_dashboard:customers"),
    ("Payments", "dashboard:payments_dashboard:overview"),
    ("Analytics", "/dashboard/analytics/"),
    ("Stores", "/dashboard/stores/"),
    ("Share kit", "dashboard:share"),
    ("Notifications", "dashboard:notifications_dashboard:list"),
    ("Account", "dashboard:accounts_dashboard:profile"),
]
NAV_LINK = re.compile(r'<a href="([^"]+)"([^>]*)>.*?<span>([^<]+)</span>', re.S)


def _nav(text: str) -> list[tuple[str, str, str]]:
    """(label, href, attributes) of each link of the side navigation."""
    nav = re.search(r'<nav class="dash-nav[^"]*"[^>]*>(.*?)</nav>', text, re.S).group(1)
    return [(label, href, attributes) for href, attributes, label in NAV_LINK.findall(nav)]


def _target(name: str) -> str:
    return name if name.startswith("/") else reverse(name)


def test_the_dashboard_navigation_links_every_area(merchant_client):
    response = merchant_client.get(reverse("dashboard:home"))

    assert response.status_code == 200
    assert [(label, href) for label, href, _ in _nav(response.content.decode())] == [
        (label, _target(name)) for label, name in NAV_LINKS
    ]
    for _label, name in NAV_LINKS:
        if not name.startswith("/"):
            assert merchant_client.get(reverse(name)).status_code == 200


def test_the_phone_tab_bar_has_the_four_daily_areas_and_more(merchant_client):
    text = merchant_client.get(reverse("dashboard:home")).content.decode()

    tabbar = re.search(r'<nav class="tabbar"[^>]*>(.*)</nav>', text, re.S).group(1)
    tabs = re.findall(r'<a href="([^"]+)"[^>]*>(?:<svg.*?</svg>)([^<]+)</a>', tabbar, re.S)
    assert tabs == [
        (reverse("dashboard:home"), "Home"),
        (reverse("dashboard:orders_dashboard:list"), "Orders"),
        (reverse("dashboard:catalog_dashboard:list"), "Products"),
        (reverse("dashboard:payments_dashboard:overview"), "Payments"),
    ]
    assert re.search(r"<summary>(?:<svg.*?</svg>)More</summary>", tabbar, re.S)
    # The bell is a drawn icon with the unread count, not a font glyph that can render as a box.
    bell = re.search(r'<a [^>]*class="icon-button notification-bell"[^>]*>(.*?)</a>', text, re.S).group(1)
    assert bell.startswith("<svg") and "&#128276;" not in text


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("dashboard:home", "Home"),
        ("dashboard:onboarding", "Stores"),
        ("dashboard:catalog_dashboard:list", "Products"),
        ("dashboard:orders_dashboard:list", "Orders"),
        ("dashboard:orders_dashboard:customers", "Customers"),
        ("dashboard:payments_dashboard:bank-accounts", "Payments"),
        ("dashboard:notifications_dashboard:list", "Notifications"),
        ("dashboard:accounts_dashboard:settings", "Account"),
    ],
)
def test_the_navigation_marks_the_current_area(merchant_client, url, current):
    text = merchant_client.get(reverse(url)).content.decode()

    assert [label for label, _, attributes in _nav(text) if 'aria-current="page"' in attributes] == [current]
