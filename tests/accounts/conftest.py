import logging
import re

import pytest
from django.core import mail

from notifications.models import Channel, DeliveryLog
from tests.notifications import conftest as notifications_fixtures

# The SendGrid and Termii fakes, wired to the real backends, as the notifications tests use them.
fake_sendgrid = notifications_fixtures.fake_sendgrid
fake_termii = notifications_fixtures.fake_termii

CODE = re.compile(r"\b(\d{6})\b")


def emailed_code(address: str) -> str:
    """The code in the last email sent to `address` (the test email backend's outbox)."""
    for message in reversed(mail.outbox):
        if address in message.to:
            return CODE.search(message.subject + "\n" + message.body).group(1)
    raise AssertionError(f"no email to {address}")


class _SmsOutbox(logging.Handler):
    """The texts the console SMS backend logs: the delivery log keeps codes hidden."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.texts: list[tuple[str, str]] = []

    def emit(self, record):
        to, _message_id, text = record.args
        self.texts.append((to, text))


_sms_outbox = _SmsOutbox()


@pytest.fixture(autouse=True)
def sms_outbox():
    sms_logger = logging.getLogger("notifications.sms")
    level = sms_logger.level
    sms_logger.setLevel(logging.INFO)
    sms_logger.addHandler(_sms_outbox)
    _sms_outbox.texts.clear()
    yield _sms_outbox.texts
    sms_logger.removeHandler(_sms_outbox)
    sms_logger.setLevel(level)


def texted_code(phone: str) -> str:
    """The code in the last SMS to `phone`, as the console SMS backend sent it."""
    assert DeliveryLog.objects.filter(channel=Channel.SMS, recipient=phone).exists(), f"no SMS to {phone}"
    texts = [text for to, text in _sms_outbox.texts if to == phone]
    assert texts, f"no SMS to {phone} was sent"
    return CODE.search(texts[-1]).group(1)


@pytest.fixture
def signup_data():
    return {
        "email": "Ada.Obi@Example.com",
        "password": "kola-nut-Sunrise-42",
        "full_name": "Ada Obi",
        "phone": "0803 123 4567",
    }
