"""In-dashboard notifications: services, the dashboard page, the bell and the API, scoped to the caller."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.errors import NotFound
from notifications.models import Notification
from notifications.services import notification_create, notification_mark_all_read, notification_mark_read

pytestmark = pytest.mark.django_db

LIST_URL = "/dashboard/notifications/"


def make(user, count, **fields):
    return [notification_create(user=user, title=f"Order #{n}", **fields) for n in range(count)]


def test_mark_read_sets_read_at_once(merchant):
    [notification] = make(merchant, 1)

    first = notification_mark_read(user=merchant, notification_id=notification.pk)
    second = notification_mark_read(user=merchant, notification_id=notification.pk)

    assert first.read_at is not None
    assert second.read_at == first.read_at


def test_mark_read_of_another_users_notification_is_not_found(merchant, other_merchant):
    [theirs] = make(other_merchant, 1)

    with pytest.raises(NotFound):
        notification_mark_read(user=merchant, notification_id=theirs.pk)

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_the_callers_unread(merchant, other_merchant):
    make(merchant, 3)
    make(other_merchant, 2)

    assert notification_mark_all_read(user=merchant) == 3
    assert notification_mark_all_read(user=merchant) == 0
    assert Notification.objects.filter(user=other_merchant, read_at__isnull=True).count() == 2


# Dashboard pages


def test_list_page_requires_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_list_page_shows_only_the_callers_notifications_and_the_bell_count(client, merchant, other_merchant):
    make(merchant, 2, body="Ada paid ₦5,000.", link="/dashboard/orders/")
    notification_create(user=other_merchant, title="Someone else's order")
    client.force_login(merchant)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert [n.title for n in response.context["page"].object_list] == ["Order #1", "Order #0"]
    assert "Someone else" not in response.text
    assert 'aria-label="Notifications, 2 unread"' in response.text
    assert "Ada paid ₦5,000." in response.text


def test_unread_filter(client, merchant):
    read, unread = make(merchant, 2)
    notification_mark_read(user=merchant, notification_id=read.pk)
    client.force_login(merchant)

    response = client.get(LIST_URL, {"filter": "unread"})

    assert [n.pk for n in response.context["page"].object_list] == [unread.pk]


@pytest.mark.parametrize("count", [2, 15])
def test_list_page_runs_a_fixed_number_of_queries(client, merchant, count, django_assert_num_queries):
    make(merchant, count)
    client.force_login(merchant)

    # session, user, page count, page rows, unread count (page), unread count (bell)
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)
    assert response.status_code == 200


def test_mark_one_read_from_the_page_without_javascript(client, merchant):
    [notification] = make(merchant, 1)
    client.force_login(merchant)

    response = client.post(reverse("dashboard:notifications_dashboard:read", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, merchant):
    [notification] = make(merchant, 1, link="/dashboard/orders/")
    client.force_login(merchant)
    url = reverse("dashboard:notifications_dashboard:read", args=[notification.pk])

    response = client.post(url, {"open": "1"})

    assert response.url == "/dashboard/orders/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_read_with_htmx_returns_the_item(client, merchant):
    [notification] = make(merchant, 1)
    client.force_login(merchant)

    response = client.post(
        reverse("dashboard:notifications_dashboard:read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in response.text
    assert "Mark as read" not in response.text


def test_another_merchants_notification_cannot_be_marked_from_the_page(client, merchant, other_merchant):
    [theirs] = make(other_merchant, 1)
    client.force_login(merchant)

    response = client.post(reverse("dashboard:notifications_dashboard:read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_from_the_page(client, merchant, other_merchant):
    make(merchant, 2)
    make(other_merchant, 1)
    client.force_login(merchant)

    response = client.post(reverse("dashboard:notifications_dashboard:read_all"), follow=True)

    assert "Marked 2 notifications as read." in response.text
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_bell_shows_no_count_when_everything_is_read(client, merchant):
    client.force_login(merchant)

    response = client.get(reverse("dashboard:home"))

    assert 'aria-label="Notifications"' in response.text


# API


def test_api_lists_only_the_callers_notifications_newest_first(merchant_api, merchant, other_merchant):
    older, newer = make(merchant, 2)
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    make(other_merchant, 1)

    response = merchant_api.get("/api/v1/notifications")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == [newer.pk, older.pk]
    assert body["data"][0].keys() == {"id", "title", "body", "link", "isRead", "readAt", "createdAt"}
    assert body["pagination"]["total"] == 2


def test_api_unread_filter_and_count(merchant_api, merchant):
    read, unread = make(merchant, 2)
    notification_mark_read(user=merchant, notification_id=read.pk)

    listed = merchant_api.get("/api/v1/notifications", {"unread": "true"}).json()["data"]
    count = merchant_api.get("/api/v1/notifications/unread-count").json()["data"]

    assert [item["id"] for item in listed] == [unread.pk]
    assert count == {"unread": 1}


def test_api_bad_filter_is_a_400(merchant_api):
    response = merchant_api.get("/api/v1/notifications", {"unread": "perhaps"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_api_mark_read(merchant_api, merchant):
    [notification] = make(merchant, 1)

    response = merchant_api.patch(f"/api/v1/notifications/{notification.pk}/read")

    assert response.status_code == 200
    assert response.json()["data"]["isRead"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_api_mark_read_of_another_users_notification_is_404(merchant_api, other_merchant):
    [theirs] = make(other_merchant, 1)

    response = merchant_api.patch(f"/api/v1/notifications/{theirs.pk}/read")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_mark_all_read(merchant_api, merchant, other_merchant):
    make(merchant, 3)
    make(other_merchant, 1)

    response = merchant_api.patch("/api/v1/notifications/read-all")

    assert response.status_code == 200
    assert response.json()["data"] == {"updated": 3}
    assert Notification.objects.filter(user=other_merchant, read_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/notifications"), ("patch", "/api/v1/notifications/read-all")],
)
def test_api_requires_a_token(api_client, method, path):
    assert getattr(api_client, method)(path).status_code == 401


@pytest.mark.parametrize("count", [2, 15])
def test_api_list_runs_a_fixed_number_of_queries(merchant_api, merchant, count, django_assert_num_queries):
    make(merchant, count)

    # token user, count, page rows
    with django_assert_num_queries(3):
        response = merchant_api.get("/api/v1/notifications")
    assert len(response.json()["data"]) == count


@pytest.mark.parametrize("link", ["//evil.example/phish", "/\\evil.example", "https://evil.example/"])
def test_opening_a_notification_never_follows_a_link_off_the_site(client, merchant, link):
    [notification] = make(merchant, 1, link=link)
    client.force_login(merchant)
    url = reverse("dashboard:notifications_dashboard:read", args=[notification.pk])

    response = client.post(url, {"open": "1"})

    assert response.url == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None
