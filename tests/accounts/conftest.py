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


def texted_code(phone: str) -> str:
    """The code in the last SMS to `phone`, from the delivery log (the console SMS backend sent it)."""
    log = DeliveryLog.objects.filter(channel=Channel.SMS, recipient=phone).order_by("-created_at").first()
    assert log is not None, f"no SMS to {phone}"
    return CODE.search(log.body_text).group(1)


@pytest.fixture
def signup_data():
    return {
        "email": "Ada.Obi@Example.com",
        "password": "kola-nut-Sunrise-42",
        "full_name": "Ada Obi",
        "phone": "0803 123 4567",
    }
