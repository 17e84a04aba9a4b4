import re

import pytest
from django.core import mail

from accounts.models import OtpType, OtpVerification

CODE = re.compile(r"\b(\d{6})\b")


def emailed_code(address: str) -> str:
    """The code in the last email sent to `address` (the test email backend's outbox)."""
    for message in reversed(mail.outbox):
        if address in message.to:
            return CODE.search(message.subject + "\n" + message.body).group(1)
    raise AssertionError(f"no email to {address}")


def texted_code(phone: str) -> str:
    return OtpVerification.objects.get(phone=phone, type=OtpType.PHONE, verified=False).code


@pytest.fixture
def signup_data():
    return {
        "email": "Ada.Obi@Example.com",
        "password": "kola-nut-Sunrise-42",
        "full_name": "Ada Obi",
        "phone": "0803 123 4567",
    }
