"""notification_send: one log per accepted channel, idempotent, preferences respected."""

from email.header import decode_header, make_header

import pytest
from django.core import mail

from notifications.models import DeliveryLog, DeliveryStatus
from notifications.services import notification_send
from tests.factories import StoreFactory, UserFactory, UserSettingsFactory

pytestmark = pytest.mark.django_db


def send(**overrides):
    arguments = {
        "template": "otp",
        "context": {"code": "482913"},
        "channels": ("email", "sms"),
        "category": "security",
        "idempotency_key": "otp:test:1",
    }
    arguments.update(overrides)
    return notification_send(**arguments)


def test_records_one_queued_log_per_channel_and_queues_delivery_on_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        logs = send(email="ada@example.com", phone="0803 123 4567", related=("otp", "42"))

    assert [(log.channel, log.recipient, log.status) for log in logs] == [
        ("email", "ada@example.com", "queued"),
        ("sms", "+2348031234567", "queued"),
    ]
    assert len(callbacks) == 2
    email_log, sms_log = (DeliveryLog.objects.get(pk=log.pk) for log in logs)
    # the code is never stored: the log keeps a placeholder, the message is sent with the code
    assert email_log.subject == "[code hidden] is your AGM Store Builder code"
    assert "[code hidden]" in email_log.body_text and "482913" not in email_log.body_text
    assert "[code hidden]" in email_log.body_html and "482913" not in email_log.body_html
    assert email_log.template == "otp"
    assert email_log.category == "security"
    assert (email_log.related_type, email_log.related_id) == ("otp", "42")
    assert email_log.attempts == 0
    assert sms_log.body_text == (
        "[code hidden] is your AGM Store Builder code. It expires in 10 min. Never share it with anyone."
    )


def test_delivers_through_the_configured_backends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        logs = send(email="ada@example.com", phone="08031234567")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]
    assert mail.outbox[0].subject == "482913 is your AGM Store Builder code"
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"
    for log in logs:
        log.refresh_from_db()
        assert log.status == DeliveryStatus.SENT
        assert log.attempts == 1
        assert log.sent_at is not None
    assert DeliveryLog.objects.get(channel="sms").provider_message_id.startswith("console-")


def test_same_event_twice_returns_the_existing_logs_and_sends_nothing_more(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(email="ada@example.com", phone="08031234567")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = send(email="ada@example.com", phone="08031234567")

    assert [log.pk for log in second] == [log.pk for log in first]
    assert callbacks == []
    assert DeliveryLog.objects.count() == 2
    assert len(mail.outbox) == 1


def test_invalid_addresses_are_recorded_failed_and_never_queued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        logs = send(email="not-an-email", phone="+44 20 7946 0958")

    assert callbacks == []
    assert [(log.channel, log.status) for log in logs] == [("email", "failed"), ("sms", "failed")]
    assert logs[0].last_error == "Invalid email address 'not-an-email': not sent."
    assert logs[1].last_error.startswith("Invalid phone number '+44 20 7946 0958': Enter a Nigerian")
    assert DeliveryLog.objects.filter(status="failed").count() == 2


def test_a_channel_without_an_address_is_skipped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        logs = send(email="ada@example.com", phone=None)

    assert [log.channel for log in logs] == ["email"]
    assert len(callbacks) == 1


def test_a_merchants_own_addresses_fill_in_missing_ones():
    merchant = UserFactory(email="owner@example.com", phone="+2348090000001")

    logs = send(user=merchant)

    assert [(log.recipient, log.user_id) for log in logs] == [
        ("owner@example.com", merchant.pk),
        ("+2348090000001", merchant.pk),
    ]


def test_store_branding_in_the_layout_and_the_sender_name():
    store = StoreFactory(display_name="Mama Put Kitchen", custom_colors={"primary": "#ff6600"})

    [log] = send(channels=("email",), email="shopper@example.com", context={"code": "1", "store": store})

    assert "Mama Put Kitchen" in log.body_html
    assert "#ff6600" in log.body_html
    assert "Mama Put Kitchen runs its shop on AGM Store Builder" in log.body_text
    assert log.from_name == "Mama Put Kitchen via AGM Store Builder"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"category": "gossip"}, "Unknown notification category 'gossip'"),
        ({"channels": ("email", "pigeon")}, "Unknown notification channels ['pigeon']"),
        ({"idempotency_key": ""}, "An idempotency key is required"),
    ],
)
def test_programming_errors_are_refused_and_nothing_is_written(bad, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        send(email="ada@example.com", **bad)

    assert DeliveryLog.objects.count() == 0


CATEGORY_TOGGLES = {
    "order": "order_notifications",
    "payment": "payment_notifications",
    "payout": "payout_notifications",
    "marketing": "marketing_notifications",
}


@pytest.mark.parametrize("category", sorted(CATEGORY_TOGGLES))
@pytest.mark.parametrize("enabled", [True, False])
def test_category_toggles(category, enabled):
    merchant = UserFactory()
    UserSettingsFactory(user=merchant, **{CATEGORY_TOGGLES[category]: enabled})

    logs = send(user=merchant, category=category, template="otp")

    assert [log.channel for log in logs] == (["email", "sms"] if enabled else [])


@pytest.mark.parametrize(
    ("email_on", "sms_on", "expected"),
    [(True, True, ["email", "sms"]), (True, False, ["email"]), (False, True, ["sms"]), (False, False, [])],
)
@pytest.mark.parametrize("category", ["account", "order"])
def test_channel_toggles(email_on, sms_on, expected, category):
    merchant = UserFactory()
    UserSettingsFactory(user=merchant, email_notifications=email_on, sms_notifications=sms_on)

    logs = send(user=merchant, category=category)

    assert [log.channel for log in logs] == expected


def test_security_messages_ignore_every_toggle():
    merchant = UserFactory()
    UserSettingsFactory(
        user=merchant,
        email_notifications=False,
        sms_notifications=False,
        order_notifications=False,
        payment_notifications=False,
        payout_notifications=False,
        marketing_notifications=False,
    )

    logs = send(user=merchant, category="security")

    assert [log.channel for log in logs] == ["email", "sms"]


def test_without_a_settings_row_the_seed_defaults_apply():
    merchant = UserFactory()

    assert [log.channel for log in send(user=merchant, category="order", idempotency_key="a")] == [
        "email",
        "sms",
    ]
    assert send(user=merchant, category="marketing", idempotency_key="b") == []


def test_shoppers_get_transactional_messages_but_no_marketing():
    assert len(send(email="s@example.com", phone="08031234567", category="order", idempotency_key="a")) == 2
    assert send(email="s@example.com", phone="08031234567", category="marketing", idempotency_key="b") == []


def test_a_long_non_ascii_store_name_is_a_valid_sender(django_capture_on_commit_callbacks):
    store = StoreFactory(display_name="Ọlọ́run's “Finest” Fabrics & Tailoring Ltd")

    with django_capture_on_commit_callbacks(execute=True):
        [log] = send(channels=("email",), email="shopper@example.com", context={"code": "1", "store": store})

    log.refresh_from_db()
    assert log.status == DeliveryStatus.SENT
    [message] = mail.outbox
    sender = str(make_header(decode_header(message.message()["From"])))
    assert sender == "Ọlọ́run's “Finest” Fabrics & Tailoring Ltd via AGM Store Builder <noreply@agmshops.com>"
