"""The bookings and portfolio themes with real photos: banners, service photos and the work
gallery are responsive <picture>s (thumbnail first, WebP with a JPEG fallback), only the first
visible image is eager, and every shopper page stays under the 100 KB budget."""

import datetime
import re

import pytest
import time_machine

from catalog.models import ServiceDuration
from orders.models import Order
from stores.models import StoreTemplate
from stores.portfolio import testimonial_create as add_testimonial  # not collected as a test
from tests.factories import ProductFactory, StoreFactory
from tests.stores.page_weight import BUDGET_BYTES, page_weight, photo_url

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 09:30 in Lagos: Tuesday's 10:00 is free under the default hours.
NOW = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC)
SHOPPER = {"name": "Ngozi", "phone": "0803 123 4567", "email": "ngozi@example.com"}
ENQUIRY = {"name": "Tunde Bakare", "email": "tunde@example.com", "phone": "", "message": "Wedding on 12 Dec?"}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def salon():
    store = StoreFactory(template_id=StoreTemplate.BOOKINGS, display_name="Braids by Bisi")
    store.banner_url = photo_url(store, 0, folder="stores")
    store.save()
    services = []
    for n, minutes in enumerate((240, 90, 120, 60, 75)):
        service = ProductFactory(
            store=store, name=f"Service {n}", stock_quantity=None, images=[photo_url(store, n)]
        )
        ServiceDuration.objects.create(product=service, minutes=minutes)
        services.append(service)
    return store, services


def studio(*, banner: bool):
    store = StoreFactory(template_id=StoreTemplate.PORTFOLIO, display_name="Lens & Light")
    if banner:
        store.banner_url = photo_url(store, 1, folder="stores")
        store.save()
    works = [
        ProductFactory(store=store, name=f"Work {n}", stock_quantity=None, images=[photo_url(store, n)])
        for n in range(9)
    ]
    for n in range(3):
        add_testimonial(
            user=store.user,
            store=store,
            author=f"Client {n}",
            detail="Wedding",
            quote="Lovely photos, on time.",
        )
    return store, works


def images(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def is_eager(image: str) -> bool:
    return 'fetchpriority="high"' in image and 'loading="lazy"' not in image


def is_lazy(image: str) -> bool:
    return 'loading="lazy"' in image and "fetchpriority" not in image


def test_the_bookings_home_shows_the_banner_eager_and_service_thumbnails_lazy(client, salon):
    store, _services = salon
    html = client.get(f"/{store.username}").content.decode()

    shown = images(html)
    assert len(shown) == 1 + 5  # the banner, then one photo per service
    assert 'class="bk-hero__photo"' in shown[0] and is_eager(shown[0])
    assert all('class="service__photo"' in image and is_lazy(image) for image in shown[1:])
    # each is a responsive set: the 400 px JPEG as src, WebP first in a <source>
    assert all(re.search(r'src="[^"]+-v2_thumb\.jpg"', image) for image in shown)
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', html)
    assert [sizes for _srcset, sizes in sources] == ["(min-width: 72rem) 72rem, 100vw"] + ["4.5rem"] * 5
    assert all(srcset.split(",")[0].endswith("_thumb_webp.webp 400w") for srcset, _sizes in sources)


def test_the_portfolio_gallery_is_eager_for_the_first_two_works_without_a_banner(client):
    store, _works = studio(banner=False)
    shown = images(client.get(f"/{store.username}").content.decode())

    assert len(shown) == 9
    assert all(is_eager(image) for image in shown[:2]) and all(is_lazy(image) for image in shown[2:])
    assert all(
        'sizes="(min-width: 72rem) 22rem, (min-width: 48rem) 30vw, 46vw"' in image
        and re.search(r'srcset="[^"]+_thumb\.jpg 400w, [^"]+_800\.jpg 800w, [^"]+\.jpg 1600w"', image)
        for image in shown
    )


def test_a_portfolio_banner_is_the_one_eager_image(client):
    store, _works = studio(banner=True)
    html = client.get(f"/{store.username}").content.decode()

    shown = images(html)
    assert len(shown) == 1 + 9
    assert 'class="pf-hero__photo"' in shown[0] and is_eager(shown[0])
    assert all(is_lazy(image) for image in shown[1:])
    assert html.count('<source type="image/webp"') == 10


def _book(client, store, service) -> Order:
    page = client.get(f"/{store.username}/book?service={service.pk}").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    form = {"service": service.pk, "date": "2026-12-08", "time": "10:00", **SHOPPER, "token": token}
    client.post(f"/{store.username}/book", form)
    return Order.objects.get(store=store)


def _weights(client, pages: dict[str, tuple[str, dict | None]]) -> dict[str, int]:
    weights = {}
    for name, (url, form) in pages.items():
        if form is None:
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        else:
            response = client.post(url, form, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code in (200, 400), (name, response.status_code)
        weights[name] = page_weight(response)
    return weights


def test_every_bookings_page_with_photos_stays_under_100_kb(client, salon):
    store, services = salon
    order = _book(client, store, services[0])
    weights = _weights(
        client,
        {
            "home": (f"/{store.username}", None),
            "service": (f"/{store.username}/p/{services[0].pk}", None),
            "book": (f"/{store.username}/book?service={services[0].pk}", None),
            "booked": (f"/{store.username}/orders/{order.order_number}", None),
            "about": (f"/{store.username}/about", None),
            "track": (f"/track/{order.order_number}", None),
        },
    )

    assert all(weight < BUDGET_BYTES for weight in weights.values()), weights


def test_every_portfolio_page_with_photos_stays_under_100_kb(client):
    store, works = studio(banner=True)
    weights = _weights(
        client,
        {
            "home": (f"/{store.username}", None),
            "work": (f"/{store.username}/p/{works[0].pk}", None),
            "about": (f"/{store.username}/about", None),
            "enquiry-refused": (f"/{store.username}/enquire", {**ENQUIRY, "message": ""}),
            "enquiry-sent": (f"/{store.username}/enquire", ENQUIRY),
        },
    )

    assert all(weight < BUDGET_BYTES for weight in weights.values()), weights
