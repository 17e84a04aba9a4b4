import html
import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Product
from catalog.services import (
    product_bulk_action,
    product_create,
    product_delete,
    product_import,
    product_update,
)
from stores.models import StoreTemplate
from stores.og_images import og_version
from stores.services import product_views_flush, store_update
from stores.tasks import flush_product_views
from tests.stores.factories import ProductFactory, StoreFactory, products_for

pytestmark = pytest.mark.django_db

SITE = "http://testserver"  # the test client's host: with APP_URL unset, links follow the request


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def json_ld(text: str):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return json.loads(match.group(1)) if match else None


@pytest.mark.parametrize(
    ("template", "layout", "marker"),
    [
        (StoreTemplate.PRODUCTS, "products", 'id="featured-heading"'),
        (StoreTemplate.BOOKINGS, "bookings", 'class="service-list"'),
        (StoreTemplate.PORTFOLIO, "portfolio", 'class="gallery"'),
    ],
)
def test_each_template_renders_its_own_layout(client, template, layout, marker):
    store = StoreFactory(template_id=template)
    products_for(store, 3, dimensions={"duration_minutes": 90})

    text = page(client, f"/{store.username}")

    assert f'data-layout="{layout}"' in text
    assert marker in text
    others = {"products", "bookings", "portfolio"} - {layout}
    assert all(f'data-layout="{other}"' not in text for other in others)
    if layout == "bookings":
        assert "1 h 30 min" in text
        assert f"/{store.username}/book?service=" in text
    if layout == "portfolio":
        assert f'action="/{store.username}/enquire"' in text


def test_store_page_is_branded_with_the_store_colours_and_fonts(client):
    store = StoreFactory(
        custom_colors={"primary": "#112233", "secondary": "#445566", "accent": "#778899"},
        custom_fonts={"heading": "classic-serif", "body": "humanist"},
        logo_url="https://res.example.com/logo.png",
        banner_url="https://res.example.com/banner.png",
    )

    text = page(client, f"/{store.username}")

    assert "--color-primary:#112233;--color-secondary:#445566;--color-accent:#778899;" in text
    # a dark primary: white text on it, and it reads on white as it is
    assert "--color-on-primary:#ffffff;--color-primary-text:#112233;" in text
    assert '--font-heading:Georgia,"Times New Roman",Times,serif;' in text
    assert '<img class="store-brand__logo" src="https://res.example.com/logo.png"' in text
    assert '<img src="https://res.example.com/banner.png"' in text


def test_store_home_meta_tags(client, html_meta):
    store = StoreFactory(display_name="Mama Put", description="Jollof & more", banner_url="/media/b.webp")

    meta = html_meta(page(client, f"/{store.username}"))

    assert meta["canonical"] == f"{SITE}/{store.username}"
    assert meta["og:title"] == "Mama Put"
    assert html.unescape(meta["og:description"]) == "Jollof & more"
    assert meta["og:url"] == f"{SITE}/{store.username}"
    assert meta["og:image"] == f"{SITE}/media/b.webp"
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["description"] == "Jollof &amp; more"


def test_product_page_meta_tags_and_json_ld(client, html_meta):
    store = StoreFactory(display_name="Ada Shoes", social_links={"whatsapp": "+2348031234567"})
    product = ProductFactory(
        store=store,
        name="Red </script> Sneakers",
        description="Leather sneakers, made in Aba.",
        price=Decimal("15000.00"),
        compare_at_price=Decimal("18000.00"),
        images=["https://res.example.com/a.jpg", "https://res.example.com/b.jpg"],
        stock_quantity=2,
        category="Shoes",
        variations=[{"name": "Size", "options": ["41", "42"]}],
    )

    text = page(client, f"/{store.username}/p/{product.pk}")
    meta = html_meta(text)
    data = json_ld(text)

    url = f"{SITE}/{store.username}/p/{product.pk}"
    assert meta["canonical"] == url
    assert meta["og:type"] == "product"
    # the server-drawn card (tests/stores/test_share_kit.py); the photos stay in the JSON-LD
    card = f"{url}/og.png?v={og_version(product)}"
    assert meta["og:image"] == card
    assert meta["product:price:amount"] == "15000.00"
    assert meta["product:price:currency"] == "NGN"
    assert meta["twitter:image"] == card
    assert data == {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Red </script> Sneakers",
        "description": "Leather sneakers, made in Aba.",
        "url": url,
        "offers": {
            "@type": "Offer",
            "price": "15000.00",
            "priceCurrency": "NGN",
            "availability": "https://schema.org/InStock",
            "url": url,
            "seller": {"@type": "Organization", "name": "Ada Shoes"},
        },
        "image": ["https://res.example.com/a.jpg", "https://res.example.com/b.jpg"],
        "category": "Shoes",
        "brand": {"@type": "Brand", "name": "Ada Shoes"},
    }
    assert "Only 2 left" in text
    assert "₦15,000" in text and '<s class="compare-at"' in text and "₦18,000" in text
    assert "<strong>Size:</strong> 41, 42" in text
    assert 'href="https://wa.me/2348031234567?text=' in text and "Order on WhatsApp" in text
    assert "https://wa.me/?text=" in text


def test_sold_out_product_says_so_and_offers_no_whatsapp_order(client):
    store = StoreFactory(social_links={"whatsapp": "+2348031234567"})
    product = ProductFactory(store=store, stock_quantity=0)

    text = page(client, f"/{store.username}/p/{product.pk}")

    assert "Sold out" in text
    assert "Order on WhatsApp" not in text
    assert json_ld(text)["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_about_page_lists_contact_details(client, html_meta):
    store = StoreFactory(
        social_links={"instagram": "https://instagram.com/ada", "whatsapp": "+2348031234567"}
    )

    text = page(client, f"/{store.username}/about")

    assert html_meta(text)["canonical"] == f"{SITE}/{store.username}/about"
    assert '<a href="https://instagram.com/ada" rel="noopener me">' in text
    assert '<a href="https://wa.me/2348031234567">+2348031234567</a>' in text


@pytest.mark.parametrize("state", ["inactive", "deleted", "other-store", "unknown"])
def test_inactive_deleted_or_foreign_product_is_a_404(client, state):
    store = StoreFactory()
    product = ProductFactory(store=store)
    url = f"/{store.username}/p/{product.pk}"
    if state == "inactive":
        Product.objects.filter(pk=product.pk).update(is_active=False)
    elif state == "deleted":
        Product.objects.filter(pk=product.pk).update(deleted_at=timezone.now())
    elif state == "other-store":
        url = f"/{StoreFactory().username}/p/{product.pk}"
    else:
        url = f"/{store.username}/p/not-a-product"

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("state", ["inactive", "deleted"])
def test_products_of_an_inactive_or_deleted_store_are_404(client, state):
    store = StoreFactory()
    product = ProductFactory(store=store)
    setattr(
        store,
        "is_active" if state == "inactive" else "deleted_at",
        False if state == "inactive" else timezone.now(),
    )
    store.save()

    assert client.get(f"/{store.username}/p/{product.pk}").status_code == 404
    assert client.get(f"/{store.username}/about").status_code == 404


def test_a_username_typed_with_capitals_redirects(client):
    store = StoreFactory(username="ada-shoes")
    product = ProductFactory(store=store)

    response = client.get(f"/Ada-Shoes/p/{product.pk}?ref=wa")

    assert response.status_code == 301
    assert response["Location"] == f"/ada-shoes/p/{product.pk}?ref=wa"


def test_hidden_products_are_not_listed(client):
    store = StoreFactory()
    ProductFactory(store=store, name="Visible thing")
    ProductFactory(store=store, name="Hidden thing", is_active=False)
    ProductFactory(store=store, name="Deleted thing", deleted_at=timezone.now())

    text = page(client, f"/{store.username}")

    assert "Visible thing" in text
    assert "Hidden thing" not in text and "Deleted thing" not in text


def test_category_filter_sort_and_pagination(client):
    store = StoreFactory()
    products_for(store, 30)

    text = page(client, f"/{store.username}?category=Shoes&sort=price_desc")
    names = re.findall(r"<h3>(Item \d+)</h3>", text)
    assert names == [f"Item {index:03d}" for index in range(29, 0, -2)]
    assert 'id="featured-heading"' not in text

    first = re.findall(r"<h3>(Item \d+)</h3>", page(client, f"/{store.username}?sort=price_asc"))
    second = re.findall(r"<h3>(Item \d+)</h3>", page(client, f"/{store.username}?sort=price_asc&page=2"))
    assert sorted(first[:3]) == ["Item 000", "Item 001", "Item 002"]  # featured
    assert first[3:] == [f"Item {index:03d}" for index in range(24)]
    assert second == [f"Item {index:03d}" for index in range(24, 30)]


@pytest.mark.django_db(transaction=True)
def test_search_matches_name_and_description_words(client):
    # transaction=True: InnoDB's FULLTEXT index sees committed rows only.
    store = StoreFactory()
    ProductFactory(store=store, name="Ankara midi dress", description="Cotton, hand made")
    ProductFactory(store=store, name="Leather sandals", description="Ankara straps, size 40")
    ProductFactory(store=store, name="Plain tote", description="Canvas bag")
    ProductFactory(store=StoreFactory(), name="Ankara in another store")

    names = set(re.findall(r"<h3>(.*?)</h3>", page(client, f"/{store.username}?q=ankara")))
    assert names == {"Ankara midi dress", "Leather sandals"}
    assert re.findall(r"<h3>(.*?)</h3>", page(client, f"/{store.username}?q=ankara+sandal")) == [
        "Leather sandals"
    ]
    assert re.findall(r"<h3>(.*?)</h3>", page(client, f"/{store.username}?q=%2B%22-*()~")) != []
    assert "No products match" in page(client, f"/{store.username}?q=velvet")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.django_db(transaction=True)  # the FULLTEXT search sees committed rows only
@pytest.mark.parametrize(
    "url",
    ["/{username}", "/{username}/p/{product}", "/{username}?q=item&sort=name", "/{username}/about"],
)
def test_storefront_pages_run_the_same_queries_at_5_and_50_products(client, django_assert_num_queries, url):
    counts = []
    for size in (5, 50):
        store = StoreFactory()
        products = products_for(store, size)
        target = url.format(username=store.username, product=products[-1].pk)
        counts.append(_queries(client, target))
        assert _queries(client, target) == counts[-1]  # rendered again, now cached
        with django_assert_num_queries(0):
            assert client.get(target).status_code == 200
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_expected_query_counts(client, django_assert_num_queries):
    store = StoreFactory()
    product = products_for(store, 5)[0]
    with django_assert_num_queries(5):  # store, count, page, featured, categories
        client.get(f"/{store.username}")
    with django_assert_num_queries(1):  # product with its store
        client.get(f"/{store.username}/p/{product.pk}")
    with django_assert_num_queries(4):  # store, count, page, categories
        assert "<h3>Item 004</h3>" in client.get(f"/{store.username}?q=item").content.decode()


def test_product_update_invalidates_the_cached_store_pages(client, merchant):
    store = StoreFactory(user=merchant)
    product = ProductFactory(store=store, name="Old name")
    for url in (f"/{store.username}", f"/{store.username}/p/{product.pk}"):
        page(client, url)
        assert "Old name" in page(client, url)  # now from the cache

    product_update(user=merchant, product_id=product.pk, data={"name": "New name"})

    for url in (f"/{store.username}", f"/{store.username}/p/{product.pk}"):
        text = page(client, url)
        assert "New name" in text and "Old name" not in text


def test_a_change_the_catalog_services_do_not_make_is_not_seen_until_one_does(client, merchant):
    store = StoreFactory(user=merchant)
    product = ProductFactory(store=store, name="Old name")
    page(client, f"/{store.username}")
    page(client, f"/{store.username}")  # the first visit learns the store's id, the second caches
    Product.objects.filter(pk=product.pk).update(name="Raw SQL name")
    assert "Old name" in page(client, f"/{store.username}")  # the cache is in use

    product_create(user=merchant, store_id=store.pk, data={"name": "Fresh item", "price": "900"})

    text = page(client, f"/{store.username}")
    assert "Raw SQL name" in text and "Fresh item" in text


def test_product_delete_removes_the_product_from_the_cached_store_page(client, merchant):
    store = StoreFactory(user=merchant)
    _kept, gone = products_for(store, 2)
    page(client, f"/{store.username}")
    assert "<h3>Item 001</h3>" in page(client, f"/{store.username}")

    product_delete(user=merchant, product_id=gone.pk)

    text = page(client, f"/{store.username}")
    assert set(re.findall(r"<h3>(Item \d+)</h3>", text)) == {"Item 000"}
    page(client, f"/{store.username}/p/{gone.pk}", status=404)


def test_bulk_deactivate_removes_the_products_from_the_cached_pages_of_each_store(client, merchant):
    first, second = StoreFactory(user=merchant), StoreFactory(user=merchant)
    hidden = [*products_for(first, 2), *products_for(second, 1)]
    ProductFactory(store=first, name="Still here")
    for store in (first, second):
        page(client, f"/{store.username}")
        assert "<h3>Item 000</h3>" in page(client, f"/{store.username}")

    assert product_bulk_action(user=merchant, action="deactivate", product_ids=[p.pk for p in hidden]) == 3

    first_page, second_page = page(client, f"/{first.username}"), page(client, f"/{second.username}")
    assert "<h3>Item" not in first_page and "Still here" in first_page
    assert "<h3>Item" not in second_page


def test_product_import_invalidates_the_cached_store_page(client, merchant):
    store = StoreFactory(user=merchant)
    page(client, f"/{store.username}")
    page(client, f"/{store.username}")

    rows = [(2, {"name": "Imported bag", "price": "1500"}, {})]
    assert product_import(user=merchant, store_id=store.pk, rows=rows) == {"created": 1, "updated": 0}

    assert "Imported bag" in page(client, f"/{store.username}")


def test_store_update_invalidates_the_cached_pages(client, merchant):
    store = StoreFactory(user=merchant, display_name="Before")
    page(client, f"/{store.username}")
    assert "Before" in page(client, f"/{store.username}")

    store_update(user=merchant, store_id=store.pk, data={"display_name": "After"})

    assert "After" in page(client, f"/{store.username}")


def test_deactivating_a_store_removes_its_cached_pages(client, merchant):
    from stores.services import store_set_active

    store = StoreFactory(user=merchant)
    page(client, f"/{store.username}")
    page(client, f"/{store.username}")

    store_set_active(user=merchant, store_id=store.pk, is_active=False)

    assert client.get(f"/{store.username}").status_code == 404


def test_cached_pages_are_per_query_string(client):
    store = StoreFactory()
    products_for(store, 4)
    page(client, f"/{store.username}")
    shoes = page(client, f"/{store.username}?category=Shoes&sort=name")
    bags = page(client, f"/{store.username}?category=Bags&sort=name")

    assert re.findall(r"<h3>(Item \d+)</h3>", shoes) == ["Item 001", "Item 003"]
    assert re.findall(r"<h3>(Item \d+)</h3>", bags) == ["Item 000", "Item 002"]


def test_cached_form_pages_get_the_visitors_own_csrf_token(client):
    store = StoreFactory(template_id=StoreTemplate.PORTFOLIO)
    page(client, f"/{store.username}")
    text = page(client, f"/{store.username}")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    assert token != "__storefront_csrf_token__"
    assert "__storefront_csrf_token__" not in text


def test_product_views_are_counted_in_the_cache_and_flushed_in_batches(client, django_assert_num_queries):
    store = StoreFactory()
    product = ProductFactory(store=store, view_count=7)
    url = f"/{store.username}/p/{product.pk}"
    page(client, url)
    page(client, url)
    with django_assert_num_queries(0):  # a cached view writes nothing
        page(client, url)
    product.refresh_from_db()
    assert product.view_count == 7

    assert flush_product_views.delay().get() == 1

    product.refresh_from_db()
    assert product.view_count == 10
    assert product_views_flush() == 0
    product.refresh_from_db()
    assert product.view_count == 10


def test_a_404_product_is_not_counted(client):
    store = StoreFactory()
    product = ProductFactory(store=store, is_active=False)
    client.get(f"/{store.username}/p/{product.pk}")

    assert product_views_flush() == 0


def test_booking_and_enquiry_pages_exist_only_for_their_templates(client):
    shop = StoreFactory(template_id=StoreTemplate.PRODUCTS)

    assert client.get(f"/{shop.username}/book").status_code == 404
    assert client.post(f"/{shop.username}/enquire", {"name": "A", "message": "B"}).status_code == 404
    assert mail.outbox == []


def test_sitemap_lists_live_stores_and_products(client):
    store = StoreFactory()
    product = ProductFactory(store=store)
    hidden = ProductFactory(store=store, is_active=False)
    closed = StoreFactory(is_active=False)
    ProductFactory(store=closed)

    text = page(client, "/sitemap.xml")

    # Without the sites framework the sitemap's links use the host the request came to.
    assert f"<loc>http://testserver/{store.username}</loc>" in text
    assert f"<loc>http://testserver/{store.username}/p/{product.pk}</loc>" in text
    assert str(hidden.pk) not in text
    assert f"/{closed.username}<" not in text


def test_view_counts_are_flushed_by_celery_beat():
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["stores-flush-product-views"]
    assert entry == {"task": "stores.flush_product_views", "schedule": 300}
    assert "stores.flush_product_views" in app.tasks
