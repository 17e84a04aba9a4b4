import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import ProductFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.SUPER_ADMIN))
    return client


def test_changelist_searches_name_and_sku(staff_client):
    ProductFactory(name="Ankara tote", sku="TOTE-9")
    ProductFactory(name="Shea butter", sku="SHEA-1")

    response = staff_client.get("/admin/catalog/product/", {"q": "tote-9"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ankara tote" in page
    assert "Shea butter" not in page


def test_staff_can_hide_a_product_but_not_change_its_price(staff_client):
    product = ProductFactory(
        name="Tote", is_active=True, variations=[{"name": "Size", "options": ["S"]}], view_count=7
    )
    price = product.price
    page = staff_client.get(f"/admin/catalog/product/{product.pk}/change/")
    assert page.status_code == 200
    assert 'name="view_count"' not in page.content.decode()

    response = staff_client.post(
        f"/admin/catalog/product/{product.pk}/change/", {"is_featured": "on", "price": "1.00"}
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.is_active, product.is_featured, product.price) == (False, True, price)
    assert staff_client.get("/admin/catalog/product/add/").status_code == 403
    assert staff_client.get(f"/admin/catalog/product/{product.pk}/delete/").status_code == 403


def test_hiding_a_product_in_admin_removes_it_from_the_cached_store_page_at_once(staff_client):
    store = StoreFactory()
    ProductFactory(store=store, name="Kept tote", is_active=True)
    hidden = ProductFactory(store=store, name="Hidden tote", is_active=True)
    shopper = Client()
    shopper.get(f"/{store.username}")  # the first visit learns the store's id, the second caches
    assert "Hidden tote" in shopper.get(f"/{store.username}").content.decode()

    response = staff_client.post(f"/admin/catalog/product/{hidden.pk}/change/", {})

    assert response.status_code == 302
    text = shopper.get(f"/{store.username}").content.decode()
    assert "Kept tote" in text and "Hidden tote" not in text
    assert shopper.get(f"/{store.username}/p/{hidden.pk}").status_code == 404
