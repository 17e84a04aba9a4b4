"""Delivery through the real anymail SendGrid backend and our Termii client, against local fakes."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from notifications.models import DeliveryLog, DeliveryStatus
from notifications.services import delivery_requeue_stale, delivery_resend, notification_send
from notifications.tasks import MAX_RETRIES, deliver
from tests.factories import StoreFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning"),
]

ATTEMPTS = MAX_RETRIES + 1


def send(channels, *, key="otp:1", **context):
    return notification_send(
        template="otp",
        context={"code": "482913", **context},
        channels=channels,
        email="ada@example.com",
        phone="0803 123 4567",
        category="security",
        idempotency_key=key,
    )


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def reloaded(logs):
    return [DeliveryLog.objects.get(pk=log.pk) for log in logs]


def test_email_goes_to_sendgrid_as_one_v3_mail_send_request(fake_sendgrid, run_on_commit):
    [log] = reloaded(run_on_commit(send, ("email",)))

    [request] = fake_sendgrid.requests
    assert (request.method, request.path) == ("POST", "/v3/mail/send")
    assert request.headers["Authorization"] == "Bearer SG.fake-test-key"
    body = request.json()
    assert body["personalizations"][0]["to"] == [{"email": "ada@example.com"}]
    assert body["from"] == {"email": "noreply@agmshops.com", "name": "AGM Store Builder"}
    assert body["subject"] == "482913 is your AGM Store Builder code"
    assert [part["type"] for part in body["content"]] == ["text/plain", "text/html"]
    assert "482913" in body["content"][0]["value"]
    assert "482913" in body["content"][1]["value"]
    assert log.status == DeliveryStatus.SENT
    assert log.attempts == 1
    assert log.last_error == ""
    # anymail's own id, which SendGrid echoes back in its event webhooks.
    assert log.provider_message_id == body["personalizations"][0]["custom_args"]["anymail_id"]


def test_a_store_message_comes_from_the_store(fake_sendgrid, run_on_commit):
    store = StoreFactory(display_name="Mama Put Kitchen")

    run_on_commit(send, ("email",), store=store)

    assert fake_sendgrid.sent[0]["from"] == {
        "email": "noreply@agmshops.com",
        "name": "Mama Put Kitchen via AGM Store Builder",
    }


def test_sms_goes_to_termii_send_endpoint(fake_termii, run_on_commit):
    [log] = reloaded(run_on_commit(send, ("sms",)))

    [request] = fake_termii.requests
    assert (request.method, request.path) == ("POST", "/api/sms/send")
    assert request.json() == {
        "api_key": "TL-fake-test-key",
        "to": "2348031234567",
        "from": "AGM Store",
        "sms": "482913 is your AGM Store Builder code. It expires in 10 min. Never share it with anyone.",
        "type": "plain",
        "channel": "generic",
    }
    assert log.status == DeliveryStatus.SENT
    assert log.provider_message_id == "9122821270554876574"


@pytest.mark.parametrize("outage", ["500", "refused", "timeout"])
def test_email_provider_down_retries_then_fails_and_admin_resend_delivers_once(
    outage, fake_sendgrid, run_on_commit
):
    if outage == "500":
        fake_sendgrid.fail_with = 500
    elif outage == "timeout":
        fake_sendgrid.delay = 0.8
    else:
        fake_sendgrid.stop()

    [log] = reloaded(run_on_commit(send, ("email",)))

    assert log.status == DeliveryStatus.FAILED
    assert log.attempts == ATTEMPTS
    assert log.sent_at is None
    expected_error = {
        "500": "SendGrid API response 500",
        "refused": "Connection refused",
        "timeout": "timed out",
    }
    assert expected_error[outage] in log.last_error
    if outage != "refused":
        assert len(fake_sendgrid.requests) == ATTEMPTS

    fake_sendgrid.requests.clear()
    fake_sendgrid.fail_with = None
    fake_sendgrid.delay = 0
    if outage == "refused":
        fake_sendgrid.start()
    assert run_on_commit(delivery_resend, log_ids=[log.pk]) == 1

    log.refresh_from_db()
    assert log.status == DeliveryStatus.SENT
    assert log.attempts == ATTEMPTS + 1
    assert log.last_error == ""
    assert len(fake_sendgrid.sent) == 1


@pytest.mark.parametrize("outage", ["500", "429", "refused", "timeout"])
def test_sms_provider_down_retries_then_fails_and_resend_delivers_once(outage, fake_termii, run_on_commit):
    if outage in ("500", "429"):
        fake_termii.fail_with = int(outage)
    elif outage == "timeout":
        fake_termii.delay = 0.8
    else:
        fake_termii.stop()

    [log] = reloaded(run_on_commit(send, ("sms",)))

    assert log.status == DeliveryStatus.FAILED
    assert log.attempts == ATTEMPTS
    expected_error = {
        "500": "Termii error 500: Internal error",
        "429": "Termii error 429: Internal error",
        "refused": "Termii could not be reached",
        "timeout": "Termii did not answer within 0.5s",
    }
    assert log.last_error.startswith(expected_error[outage])

    fake_termii.requests.clear()
    fake_termii.fail_with = None
    fake_termii.delay = 0
    if outage == "refused":
        fake_termii.start()
    run_on_commit(delivery_resend, log_ids=[log.pk])

    log.refresh_from_db()
    assert log.status == DeliveryStatus.SENT
    assert len(fake_termii.sent) == 1


def test_email_rejected_by_sendgrid_is_not_retried(fake_sendgrid, run_on_commit, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "SENDGRID_API_KEY": "SG.wrong"}

    [log] = reloaded(run_on_commit(send, ("email",)))

    assert len(fake_sendgrid.requests) == 1
    assert log.status == DeliveryStatus.FAILED
    assert log.attempts == 1
    assert "SendGrid API response 401" in log.last_error


def test_sms_rejected_by_termii_is_not_retried(fake_termii, run_on_commit, settings):
    settings.TERMII_SENDER_ID = "A much too long sender id"

    [log] = reloaded(run_on_commit(send, ("sms",)))

    assert len(fake_termii.requests) == 1
    assert log.status == DeliveryStatus.FAILED
    assert log.attempts == 1
    assert log.last_error == "Termii refused the message (400): Invalid Sender Id"


def test_an_invalid_phone_number_never_reaches_termii(fake_termii, run_on_commit):
    [log] = run_on_commit(
        notification_send,
        template="otp",
        context={"code": "1"},
        channels=("sms",),
        phone="12345",
        category="security",
        idempotency_key="bad-phone",
    )

    assert fake_termii.requests == []
    assert log.status == DeliveryStatus.FAILED
    # Even a re-send cannot push it out.
    run_on_commit(delivery_resend, log_ids=[log.pk])
    log.refresh_from_db()
    assert fake_termii.requests == []
    assert log.status == DeliveryStatus.FAILED


def test_duplicate_trigger_sends_one_message(fake_sendgrid, fake_termii, run_on_commit):
    run_on_commit(send, ("email", "sms"), key="order:7:confirmed")
    run_on_commit(send, ("email", "sms"), key="order:7:confirmed")

    assert len(fake_sendgrid.sent) == 1
    assert len(fake_termii.sent) == 1
    assert DeliveryLog.objects.count() == 2


def test_a_task_run_twice_sends_once(fake_sendgrid, run_on_commit):
    [log] = run_on_commit(send, ("email",))

    deliver.delay(log.pk)
    assert run_on_commit(delivery_resend, log_ids=[log.pk]) == 0

    assert len(fake_sendgrid.sent) == 1
    log.refresh_from_db()
    assert log.attempts == 1


def test_stale_queued_messages_are_queued_again(fake_sendgrid, django_capture_on_commit_callbacks):
    [stale] = send(("email",), key="stale")  # its task was lost: callbacks not run
    [fresh] = send(("email",), key="fresh")
    DeliveryLog.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_requeue_stale(older_than=timedelta(hours=1)) == 1

    assert [log.status for log in reloaded([stale, fresh])] == [DeliveryStatus.SENT, DeliveryStatus.QUEUED]
    assert len(fake_sendgrid.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_the_provider_is_called_with_no_lock_held_and_the_log_claimed_as_sending(fake_sendgrid):
    seen = []
    answer = fake_sendgrid.answer

    def answer_after_looking_at_the_log(request):
        # another connection (this server thread's) while the worker waits for the provider
        try:
            with transaction.atomic():
                log = DeliveryLog.objects.select_for_update(nowait=True).get()
                seen.append((log.status, log.attempts))
        except DatabaseError as error:
            seen.append(("locked", str(error)))
        finally:
            connection.close()
        return answer(request)

    fake_sendgrid.answer = answer_after_looking_at_the_log
    [log] = send(("email",))

    assert seen == [(DeliveryStatus.SENDING, 1)]
    log.refresh_from_db()
    assert (log.status, log.attempts, log.last_error) == (DeliveryStatus.SENT, 1, "")
    assert len(fake_sendgrid.sent) == 1


def test_a_claimed_log_is_not_sent_again_by_a_second_worker(fake_sendgrid, run_on_commit):
    [log] = send(("email",))  # its task not run yet
    DeliveryLog.objects.filter(pk=log.pk).update(status=DeliveryStatus.SENDING, attempts=1)

    deliver.delay(log.pk)
    assert run_on_commit(delivery_resend, log_ids=[log.pk]) == 0

    assert fake_sendgrid.sent == []
    log.refresh_from_db()
    assert (log.status, log.attempts) == (DeliveryStatus.SENDING, 1)


def test_a_log_left_sending_by_a_dead_worker_is_queued_again_once_stale(
    fake_sendgrid, django_capture_on_commit_callbacks
):
    [stuck] = send(("email",), key="stuck")
    [busy] = send(("email",), key="busy")
    DeliveryLog.objects.filter(pk__in=[stuck.pk, busy.pk]).update(status=DeliveryStatus.SENDING, attempts=1)
    DeliveryLog.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_requeue_stale(older_than=timedelta(hours=1)) == 1

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (DeliveryStatus.SENT, 2)
    assert (busy.status, busy.attempts) == (DeliveryStatus.SENDING, 1)
    assert len(fake_sendgrid.sent) == 1
