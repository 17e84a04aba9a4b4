import pytest
from django.urls import get_resolver

from stores.usernames import RESERVED_USERNAMES, username_problem
from tests.factories import StoreFactory


def test_every_platform_path_is_a_reserved_username():
    first_segments = set()
    for pattern in get_resolver().url_patterns:
        segment = str(pattern.pattern).strip("^/").split("/")[0].split("<")[0]
        if segment:
            first_segments.add(segment.replace(".", "-").rstrip("-"))
    assert first_segments - RESERVED_USERNAMES == set()


@pytest.mark.parametrize(
    ("username", "problem"),
    [
        ("ab", "Use 3 to 30 characters."),
        ("a" * 31, "Use 3 to 30 characters."),
        ("Mama-Put", "Use lower-case letters, digits and single hyphens, not at the start or end."),
        ("mama--put", "Use lower-case letters, digits and single hyphens, not at the start or end."),
        ("-mama", "Use lower-case letters, digits and single hyphens, not at the start or end."),
        ("dashboard", "This name is reserved by the platform."),
        ("mama-put-2", None),
    ],
)
def test_username_rules(username, problem):
    assert username_problem(username) == problem


@pytest.mark.django_db
def test_store_page_shows_the_store(client):
    store = StoreFactory(display_name="Mama Put Kitchen")
    response = client.get(f"/{store.username}")
    assert response.status_code == 200
    assert "Mama Put Kitchen" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["unknown", "inactive", "deleted"])
def test_missing_inactive_or_deleted_store_is_a_404(client, state):
    from django.utils import timezone

    store = StoreFactory(username="gone-store")
    if state == "inactive":
        store.is_active = False
    if state == "deleted":
        store.deleted_at = timezone.now()
    store.save()
    username = "nobody-here" if state == "unknown" else "gone-store"
    response = client.get(f"/{username}")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


@pytest.mark.django_db
def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert "Disallow: /dashboard/" in response.content.decode()
