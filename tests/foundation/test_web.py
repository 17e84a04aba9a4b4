import pytest

from accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, StoreFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "can_enter"),
    [(Role.USER, False), (Role.ADMIN, True), (Role.SUPER_ADMIN, True)],
)
def test_only_admin_roles_sign_in_to_the_admin(client, role, can_enter):
    user = UserFactory(role=role)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    if can_enter:
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
    else:
        assert response.status_code == 200
        assert "Please enter the correct email and password for a staff account" in response.content.decode()
        assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_soft_deleted_admin_cannot_sign_in(client):
    from django.utils import timezone

    user = UserFactory(role=Role.SUPER_ADMIN, deleted_at=timezone.now())
    assert not client.login(email=user.email, password=DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_dashboard_needs_login_and_shows_own_stores(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/auth/login/?next=/dashboard/"
    owner = UserFactory()
    StoreFactory(user=owner, display_name="Mine")
    StoreFactory(display_name="Someone Else's")
    client.force_login(owner)
    page = client.get("/dashboard/").content.decode()
    assert "Mine" in page
    assert "Someone Else" not in page


@pytest.mark.django_db
def test_dashboard_404_uses_the_dashboard_layout(client):
    client.force_login(UserFactory())
    response = client.get("/dashboard/no-such-page/")
    assert response.status_code == 404
    assert "This item does not exist, or it is not yours." in response.content.decode()


@pytest.mark.django_db
def test_security_headers_on_pages(client):
    store = StoreFactory()
    response = client.get(f"/{store.username}")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_store_url_with_trailing_slash_redirects_to_the_canonical_one(client):
    store = StoreFactory()
    response = client.get(f"/{store.username}/")
    assert response.status_code == 301
    assert response["Location"] == f"/{store.username}"


def test_static_files_are_served_without_a_cdn(client):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200


def test_cors_preflight_allows_the_configured_origins_on_the_api(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://agmshops.com"]
    allowed = client.options(
        "/api/v1/health", HTTP_ORIGIN="https://agmshops.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://agmshops.com"
    refused = client.options(
        "/api/v1/health", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in refused
