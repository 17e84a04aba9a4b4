import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import OtpVerification, Role
from accounts.services import password_forgot
from notifications.models import DeliveryLog, DeliveryStatus
from notifications.services import notification_create, notification_send
from tests.factories import UserFactory
from tests.redis_keys import run_keys_delete

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning"),
]

CHANGELIST = reverse("admin:notifications_deliverylog_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def resend(staff_client, logs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return staff_client.post(
            CHANGELIST,
            {"action": "resend", "_selected_action": [log.pk for log in logs]},
            follow=True,
        )


def test_failed_email_is_resent_from_admin_once_the_provider_is_back(
    staff_client, fake_sendgrid, django_capture_on_commit_callbacks
):
    fake_sendgrid.fail_with = 503
    with django_capture_on_commit_callbacks(execute=True):
        [failed] = notification_send(
            template="welcome",
            context={"name": "Ada"},
            channels=("email",),
            email="ada@example.com",
            category="account",
            idempotency_key="welcome:ada",
        )
    with django_capture_on_commit_callbacks(execute=True):
        [sent] = notification_send(
            template="welcome",
            context={"name": "Bola"},
            channels=("email",),
            email="bola@example.com",
            category="account",
            idempotency_key="welcome:bola",
        )
    fake_sendgrid.fail_with = None
    DeliveryLog.objects.filter(pk=sent.pk).update(status=DeliveryStatus.SENT)
    fake_sendgrid.requests.clear()

    response = resend(staff_client, [failed, sent], django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "1 message queued again." in response.text
    assert "1 message was already sent and was left alone." in response.text
    assert [body["personalizations"][0]["to"] for body in fake_sendgrid.sent] == [
        [{"email": "ada@example.com"}]
    ]
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert failed.subject == "Welcome to AGM Store Builder, Ada"


def test_delivery_log_list_filters_and_searches(staff_client):
    notification_send(
        template="otp",
        context={"code": "1"},
        channels=("email", "sms"),
        email="findme@example.com",
        phone="08031234567",
        category="security",
        idempotency_key="k",
    )

    assert staff_client.get(CHANGELIST, {"status": "queued", "channel": "sms"}).status_code == 200
    response = staff_client.get(CHANGELIST, {"q": "findme"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_merchants_cannot_reach_the_delivery_log(client):
    client.force_login(UserFactory())

    response = client.get(CHANGELIST)

    assert response.status_code == 302


def test_notification_admin_lists_notifications(staff_client):
    notification_create(user=UserFactory(), title="New order #A1")

    response = staff_client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 200
    assert "New order #A1" in response.text


def test_a_password_reset_code_reaches_the_user_but_no_admin_page(django_capture_on_commit_callbacks):

    UserFactory(email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        password_forgot(email="ada@example.com")

    code = OtpVerification.objects.get(email="ada@example.com").code
    [message] = mail.outbox
    assert code in message.subject and code in message.body and code in message.alternatives[0].content
    [log] = DeliveryLog.objects.all()
    assert log.status == DeliveryStatus.SENT
    assert code not in f"{log.subject} {log.body_text} {log.body_html}"
    admin_client = Client()
    admin_client.force_login(UserFactory(role=Role.ADMIN))
    pages = [
        CHANGELIST,
        reverse("admin:notifications_deliverylog_change", args=[log.pk]),
        reverse("admin:accounts_otpverification_changelist"),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert code not in response.content.decode(), url


def test_a_code_no_longer_kept_is_never_sent_as_its_placeholder(
    staff_client, django_capture_on_commit_callbacks
):

    [log] = notification_send(
        template="otp",
        context={"code": "482913"},
        channels=("email",),
        email="ada@example.com",
        category="security",
        idempotency_key="otp:lost",
    )  # its task was lost: callbacks not run
    run_keys_delete()  # and the code expired from the cache

    resend(staff_client, [log], django_capture_on_commit_callbacks)

    log.refresh_from_db()
    assert (log.status, mail.outbox) == (DeliveryStatus.FAILED, [])
    assert "no longer kept" in log.last_error
