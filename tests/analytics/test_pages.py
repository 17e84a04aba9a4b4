import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.services import rollups_catch_up
from tests.analytics.conftest import lagos
from tests.analytics.pages import REPORT_SLUGS
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


@pytest.fixture
def sold(shop):
    order = shop.pay(shop.place((shop.jollof, 2), name="=HYPERLINK(1)"))
    rollups_catch_up()
    return order


def test_a_merchant_without_a_store_is_asked_to_open_one(merchant_client):
    response = merchant_client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert f'href="{reverse("dashboard:onboarding")}">Open your store' in response.content.decode()


def test_a_new_merchant_sees_what_to_do_next_not_zeros(merchant_client, merchant):
    store = StoreFactory(user=merchant, username="fresh-shop")
    text = merchant_client.get("/dashboard/").content.decode()
    assert "Your first sale is a few steps away" in text
    assert reverse("dashboard:catalog_dashboard:create") in text and store.get_absolute_url() in text
    assert "₦0" not in text


def test_the_home_shows_the_business(merchant_client, sold):
    text = merchant_client.get("/dashboard/").content.decode()
    assert "₦30,000" in text and "₦29,250" in text  # before and after the platform fee
    assert sold.order_number in text and "Jollof Pack" in text
    assert '<svg viewBox="0 0 400 220" role="img"' in text and "<details>" in text
    assert '<title id="home-revenue-title">' in text


def test_every_report_renders_and_exports(merchant_client, sold):
    for slug in REPORT_SLUGS:
        response = merchant_client.get(f"/dashboard/analytics/{slug}/?period=7d")
        assert response.status_code == 200, slug
        export = merchant_client.get(f"/dashboard/analytics/{slug}/export.csv?period=7d")
        assert export.status_code == 200 and export.streaming
        assert export["Content-Type"] == "text/csv; charset=utf-8"
    customers = b"".join(
        merchant_client.get("/dashboard/analytics/customers/export.csv").streaming_content
    ).decode()
    # Spreadsheet-safe: a name or phone a spreadsheet would run as a formula is quoted.
    assert customers.splitlines() == [
        "Customer,Phone,Orders,Units,Revenue,Discount",
        "'=HYPERLINK(1),'+2348031234567,1,0,30000.00,0.00",
    ]


def test_a_bad_period_is_a_clear_400(merchant_client, sold):
    response = merchant_client.get("/dashboard/?period=custom&date_from=2025-05-02&date_to=2025-05-01")
    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()
    assert merchant_client.get("/dashboard/analytics/sales/export.csv?period=forever").status_code == 400
    assert merchant_client.get("/dashboard/analytics/nonsense/").status_code == 404


def test_another_merchants_store_is_refused(merchant_client, sold, other_shop):
    other_shop.pay(other_shop.place((other_shop.tote, 1), at=lagos(2025, 1, 1, 9, 0)))
    response = merchant_client.get(f"/dashboard/?store={other_shop.store.pk}")
    assert response.status_code == 400
    assert "Ankara Tote" not in response.content.decode()


def test_the_api_answers_in_the_envelope_with_the_clients_names(merchant_api, sold, shop):
    data = merchant_api.get(f"/api/v1/analytics/dashboard?period=today&storeId={shop.store.pk}").json()[
        "data"
    ]
    assert (data["totalRevenue"], data["netRevenue"], data["totalOrders"], data["itemsSold"]) == (
        "30000.00",
        "29250.00",
        1,
        2,
    )
    assert data["recentOrders"][0]["orderNumber"] == sold.order_number
    assert data["topProducts"][0] == {
        "id": shop.jollof.pk,
        "name": "Jollof Pack",
        "totalSold": 2,
        "orders": 1,
        "revenue": "30000.00",
        "views": 0,
        "conversion": None,
    }
    assert data["stores"] == [
        {"id": shop.store.pk, "name": shop.store.display_name, "username": shop.store.username}
    ]
    assert data["previous"]["totalRevenue"] == "0.00"
    revenue = merchant_api.get("/api/v1/analytics/revenue?period=week&groupBy=day").json()["data"]
    assert (revenue["totalRevenue"], len(revenue["chartData"]), revenue["chartData"][-1]["revenue"]) == (
        "30000.00",
        7,
        "30000.00",
    )
    top = merchant_api.get("/api/v1/analytics/products/top?limit=1").json()["data"]
    assert [row["totalSold"] for row in top] == [2]
    assert merchant_api.get("/api/v1/analytics/customers").json()["data"]["totalCustomers"] == 1
    orders = merchant_api.get("/api/v1/analytics/orders").json()["data"]
    assert {row["status"]: row["orders"] for row in orders["byStatus"]}["confirmed"] == 1


def test_the_api_refuses_bad_input_and_other_merchants(
    merchant_api, other_merchant_api, api_client, sold, shop
):
    response = merchant_api.get("/api/v1/analytics/dashboard?period=custom&from=2025-05-02&to=2025-05-01")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid_period")
    assert merchant_api.get("/api/v1/analytics/revenue?groupBy=hour").status_code == 400
    assert merchant_api.get("/api/v1/analytics/products/top?limit=500").status_code == 400
    response = other_merchant_api.get(f"/api/v1/analytics/dashboard?storeId={shop.store.pk}")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    assert other_merchant_api.get("/api/v1/analytics/dashboard").json()["data"]["totalRevenue"] == "0.00"
    assert api_client.get("/api/v1/analytics/dashboard").status_code == 401


@pytest.mark.parametrize(("catch_up_on_read", "net_revenue"), [(True, "₦58,500"), (False, "₦29,250")])
def test_without_a_beat_the_home_catches_up_before_it_reads(
    merchant_client, shop, sold, settings, catch_up_on_read, net_revenue
):
    settings.ANALYTICS_CATCH_UP_ON_READ = catch_up_on_read
    shop.pay(shop.place((shop.jollof, 2)))  # a second sale after the last catch-up run

    text = merchant_client.get("/dashboard/").content.decode()

    # The revenue card after the fee: both sales when the page caught up, else the first only.
    assert f'stat__value">{net_revenue}</p>' in text


def test_the_homes_figures_are_kept_until_the_next_catch_up(merchant_client, shop, sold):
    def home():
        with CaptureQueriesContext(connection) as queries:
            text = merchant_client.get("/dashboard/").content.decode()
        return len(queries), 'stat__value">₦60,000</p>' in text

    # Read from the rollups, then from the cache: the cards, chart and top products (eight
    # queries) stand until the catch-up moves its watermark; pay on delivery's line is live.
    assert home() == (23, False)
    assert home() == (15, False)
    shop.pay(shop.place((shop.jollof, 2)))
    assert home() == (15, False)  # the rollups have not seen the sale yet
    rollups_catch_up()
    assert home() == (23, True)


def test_the_dashboard_api_keeps_the_same_figures_until_the_next_catch_up(merchant_api, shop, sold):
    def dashboard():
        with CaptureQueriesContext(connection) as queries:
            data = merchant_api.get("/api/v1/analytics/dashboard?period=today").json()["data"]
        return len(queries), data["totalRevenue"], data["topProducts"][0]["totalSold"]

    assert dashboard() == (14, "30000.00", 2)
    assert dashboard() == (6, "30000.00", 2)  # the cards and top products kept
    shop.pay(shop.place((shop.jollof, 1)))
    rollups_catch_up()
    assert dashboard() == (14, "45000.00", 3)
