"""Security headers (issue 12, finding 6): CSP with nonces, Permissions-Policy, no-store on one
person's pages, and a per-IP limit on order-tracking lookups by number."""

import re
import time
from decimal import Decimal as D

import pytest
import time_machine

from orders.services import order_place
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def logged_in(client, merchant, store):
    client.force_login(merchant)
    return client


@pytest.fixture
def placed(store, product):
    return order_place(
        store=store,
        customer={"name": "Ada Obi", "phone": "08031234567"},
        lines=[{"product_id": product.pk, "quantity": 1}],
        delivery_method="pickup",
    )


def test_every_page_and_api_answer_carries_csp_and_permissions_policy(client, store, api_client):
    for response in (client.get("/"), client.get(f"/{store.username}"), api_client.get("/api/v1/health")):
        policy = directives(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_an_inline_style_carries_the_nonce_of_its_own_response(client, store):
    # the storefront is cached as a whole page: the second visitor must get a fresh nonce that
    # matches their header, not the first visitor's
    nonces = []
    for _ in range(2):
        response = client.get(f"/{store.username}")
        (header_nonce,) = set(NONCE.findall(response["Content-Security-Policy"]))
        html = response.content.decode()
        assert f'<style nonce="{header_nonce}">' in html
        assert "__storefront_csp_nonce__" not in html
        nonces.append(header_nonce)
    assert nonces[0] != nonces[1]


def test_no_template_has_an_inline_script_or_event_handler():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|javascript:", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []


def test_pages_that_load_htmx_keep_it_from_injecting_styles(logged_in):
    html = logged_in.get("/dashboard/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in html


def test_dashboard_and_account_pages_are_no_store(logged_in, client, store, placed):
    for url in ("/dashboard/", f"/dashboard/orders/{placed.pk}/invoice", "/dashboard/orders/"):
        response = logged_in.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    logged_in.logout()
    assert client.get("/auth/login/")["Cache-Control"] == "no-store"
    # a shopper's storefront page may be cached by the browser as before
    assert "no-store" not in client.get(f"/{store.username}").get("Cache-Control", "")


def test_the_invoice_prints_without_inline_javascript(logged_in, placed):
    html = logged_in.get(f"/dashboard/orders/{placed.pk}/invoice").content.decode()
    assert "javascript:" not in html
    assert (
        '<button type="button" class="btn btn--primary btn--small" data-print hidden>Print</button>' in html
    )
    assert "/static/js/print.js" in html


def test_the_api_docs_get_the_relaxed_policy_they_need(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "'unsafe-inline'" in directives(docs)["style-src"]
    assert "'unsafe-inline'" not in directives(docs)["script-src"]
    assert "<script>" not in docs.content.decode()  # the split view serves its script as a file


# --- per-IP limit on order tracking ---


@pytest.fixture
def fresh_minute():
    """Lookups are counted in one-minute windows: start a second into the next one, so the
    counts of a test never straddle two windows."""
    with time_machine.travel((time.time() // 60 + 1) * 60 + 1, tick=True):
        yield


def test_tracking_lookups_are_limited_per_ip_with_a_friendly_page(fresh_minute, client, settings, placed):
    settings.TRACK_LOOKUPS_PER_MINUTE = 3
    assert client.get(f"/track/{placed.order_number}").status_code == 200
    assert client.get("/track/AGM-NOPE0000").status_code == 404  # unknown numbers count too
    assert client.get(f"/track/{placed.order_number}").status_code == 200
    refused = client.get(f"/track/{placed.order_number}")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    html = refused.content.decode()
    assert "<h1>Please wait a moment</h1>" in html
    assert "Too many attempts. Try again in" in html
    # another address is not affected
    assert client.get(f"/track/{placed.order_number}", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_tracking_lookups_by_api_share_the_limit(fresh_minute, client, api_client, settings, placed):
    settings.TRACK_LOOKUPS_PER_MINUTE = 2
    url = f"/api/v1/orders/track/{placed.order_number}"
    # one lookup on the page and one by the API from the same address use up the two
    assert client.get(f"/track/{placed.order_number}").status_code == 200
    assert api_client.get(url).status_code == 200
    refused = api_client.get(url)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1


def test_a_high_price_still_renders_the_same_way(client, store):
    ProductFactory(store=store, name="Generator", price=D("1250000.50"))
    assert "₦1,250,000.50" in client.get(f"/{store.username}").content.decode()
