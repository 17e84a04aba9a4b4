import pytest
from django.core import mail

from notifications.models import DeliveryLog, Notification
from stores.models import StoreTemplate
from stores.services import ENQUIRIES_PER_HOUR
from tests.factories import UserSettingsFactory
from tests.stores.factories import StoreFactory

pytestmark = pytest.mark.django_db

ENQUIRY = {
    "name": "Tunde",
    "email": "tunde@example.com",
    "phone": "0803 123 4567",
    "message": "Wedding on 12 Dec?",
}


@pytest.fixture
def store():
    return StoreFactory(template_id=StoreTemplate.PORTFOLIO, display_name="Lens & Light")


def enquire(client, store, data=ENQUIRY, ip="10.0.0.1"):
    return client.post(f"/{store.username}/enquire", data, REMOTE_ADDR=ip)


def test_an_enquiry_reaches_the_merchant_in_the_dashboard_and_by_email(
    client, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = enquire(client, store)

    assert response.status_code == 200
    assert "Enquiry sent" in response.content.decode()
    notification = Notification.objects.get()
    assert notification.user == store.user
    assert notification.title == "New enquiry from Tunde (Lens & Light)"
    assert notification.body == "Wedding on 12 Dec?\n\nReply to: tunde@example.com · +2348031234567"
    assert notification.read_at is None

    log = DeliveryLog.objects.get()
    assert (log.channel, log.category, log.template, log.status, log.recipient) == (
        "email",
        "account",
        "store_enquiry",
        "sent",
        store.user.email,
    )
    assert (log.related_type, log.related_id) == ("stores.store", str(store.pk))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [store.user.email]
    assert message.subject == "New enquiry from Tunde - Lens & Light"
    assert "Wedding on 12 Dec?" in message.body
    assert "Email: tunde@example.com" in message.body and "Phone: +2348031234567" in message.body
    assert f"http://testserver/{store.username}" in message.body
    assert "mailto:tunde@example.com" in message.alternatives[0][0]


def test_the_dashboard_shows_the_enquiry(client, store):
    enquire(client, store)
    client.force_login(store.user)

    text = client.get("/dashboard/notifications/").content.decode()

    assert "New enquiry from Tunde (Lens &amp; Light)" in text


def test_a_merchant_without_email_notifications_still_sees_the_enquiry_in_the_dashboard(
    client, store, django_capture_on_commit_callbacks
):
    UserSettingsFactory(user=store.user, email_notifications=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert enquire(client, store).status_code == 200

    assert Notification.objects.filter(user=store.user).count() == 1
    assert DeliveryLog.objects.count() == 0
    assert mail.outbox == []


def test_enquiries_are_rate_limited_per_ip(client, store, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(ENQUIRIES_PER_HOUR):
            assert enquire(client, store).status_code == 200
        refused = enquire(client, store)
        other_ip = enquire(client, store, ip="10.0.0.2")

    assert refused.status_code == 429
    assert "Too many attempts. Try again in" in refused.content.decode()
    assert 'name="message"' in refused.content.decode()  # the form comes back with the text kept
    assert "Wedding on 12 Dec?" in refused.content.decode()
    assert other_ip.status_code == 200
    assert Notification.objects.count() == ENQUIRIES_PER_HOUR + 1
    assert DeliveryLog.objects.count() == ENQUIRIES_PER_HOUR + 1
    assert len(mail.outbox) == ENQUIRIES_PER_HOUR + 1


def test_an_enquiry_without_a_way_to_reply_is_refused(client, store, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = enquire(client, store, {"name": "Tunde", "message": "Hi"})

    assert response.status_code == 400
    assert "Give an email address or a phone number" in response.content.decode()
    assert (Notification.objects.count(), DeliveryLog.objects.count(), mail.outbox) == (0, 0, [])


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(
    client, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = enquire(client, store, {**ENQUIRY, "website": "https://spam.example"})

    assert response.status_code == 200
    assert (Notification.objects.count(), DeliveryLog.objects.count(), mail.outbox) == (0, 0, [])


def test_a_bookings_or_products_store_takes_no_enquiries(client):
    for template in (StoreTemplate.PRODUCTS, StoreTemplate.BOOKINGS):
        assert enquire(client, StoreFactory(template_id=template)).status_code == 404
    assert Notification.objects.count() == 0
