import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


def test_smoke(merchant_client, shop):
    shop.pay(shop.place((shop.jollof, 2)))
    from analytics.services import rollups_catch_up

    rollups_catch_up()
    response = merchant_client.get("/dashboard/")
    assert response.status_code == 200, response.content.decode()[:3000]
    for slug in (
        "sales",
        "products",
        "categories",
        "states",
        "lgas",
        "payment-methods",
        "coupons",
        "customers",
    ):
        r = merchant_client.get(f"/dashboard/analytics/{slug}/")
        assert r.status_code == 200
        r = merchant_client.get(f"/dashboard/analytics/{slug}/export.csv")
        print(b"".join(r.streaming_content).decode())


def test_api_smoke(merchant_api, shop):
    shop.pay(shop.place((shop.jollof, 2)))
    from analytics.services import rollups_catch_up

    rollups_catch_up()
    for url in ("dashboard", "revenue?groupBy=week", "products/top", "customers", "orders"):
        r = merchant_api.get(f"/api/v1/analytics/{url}")
        assert r.status_code == 200, r.content
        print(r.json())
    r = merchant_api.get("/api/v1/analytics/dashboard?period=custom&from=2025-01-02&to=2025-01-01")
    print(r.status_code, r.json())
    r = merchant_api.get("/api/v1/analytics/dashboard?storeId=nope")
    print(r.status_code, r.json())
