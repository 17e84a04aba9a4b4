"""The platform's own pages: the home page at /, and the branded error pages."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from stores.demo import demo_seed
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_the_product_is_and_links_sign_up_and_log_in(client):
    response = client.get("/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in text and "Paid straight to your bank" in text
    assert f'href="{reverse("accounts:signup")}"' in text
    assert f'href="{reverse("accounts:login")}"' in text
    assert "See a store" not in text  # no demo store yet, so no examples


def test_the_home_page_shows_the_demo_store_when_it_exists(client):
    seed = demo_seed()

    text = client.get("/").content.decode()

    assert "See a store" in text
    assert f'href="{seed.store.get_absolute_url()}"' in text and "Mama Put Kitchen" in text


def test_the_home_page_leaves_out_a_hidden_demo_store(client):
    seed = demo_seed()
    seed.store.is_active = False
    seed.store.save(update_fields=["is_active"])

    assert "See a store" not in client.get("/").content.decode()


def test_a_logged_in_merchant_is_sent_on_to_the_dashboard(client, merchant):
    client.force_login(merchant)

    text = client.get("/").content.decode()

    assert "Go to your dashboard" in text
    assert f'href="{reverse("accounts:signup")}"' not in text


def test_an_unknown_platform_path_is_a_branded_404(client):
    response = client.get("/no/such/page/")

    text = response.content.decode()
    assert response.status_code == 404
    assert "We couldn't find that page" in text and 'class="error-page"' in text
    assert "Go to the home page" in text


def test_an_unknown_store_keeps_the_storefront_404(client):
    StoreFactory(username="ada-shoes")

    response = client.get("/nobody-here")

    assert response.status_code == 404
    assert 'class="error-page"' not in response.content.decode()  # the storefront's own page


def test_a_dashboard_404_is_the_dashboard_s(client, merchant):
    client.force_login(merchant)

    response = client.get("/dashboard/orders/00000000-0000-4000-8000-000000000000")

    assert response.status_code == 404
    assert "This item does not exist, or it is not yours." in response.content.decode()


@override_settings(DEBUG=False)
def test_a_platform_server_error_is_a_branded_500_without_the_database(rf):
    from config.views import server_error

    response = server_error(rf.get("/auth/login/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "/static/css/base.css" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_branded_403_of_its_area():
    store = StoreFactory(username="ada-shoes", display_name="Ada Shoes")
    browser = Client(enforce_csrf_checks=True)

    shopper = browser.post("/ada-shoes/cart", {"action": "add"})
    platform = browser.post("/auth/login/", {"email": "a@example.com", "password": "x"})

    assert (shopper.status_code, platform.status_code) == (403, 403)
    shop_page = shopper.content.decode()
    assert '<header class="store-header">' in shop_page and store.display_name in shop_page
    assert "If you were sending a form, reload the page first." in shop_page
    platform_page = platform.content.decode()
    assert "You can't open this page" in platform_page and 'class="error-page"' in platform_page
    # not Django's bare CSRF page (its inline <style> has no nonce: the CSP would block it)
    assert "CSRF verification failed" not in shop_page + platform_page
