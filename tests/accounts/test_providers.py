"""Sign-up to sign-in with the codes read from what the SendGrid and Termii fakes received,
through the real anymail backend and our Termii client."""

import re

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def sent_code(payloads, *, match) -> str:
    for payload in reversed(payloads):
        if match(payload):
            text = payload.get("sms") or payload.get("subject", "")
            return re.search(r"\b(\d{6})\b", text).group(1)
    raise AssertionError("no message with a code")


def test_codes_arrive_through_sendgrid_and_termii(
    api_client, fake_sendgrid, fake_termii, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register",
            {
                "email": "ada@example.com",
                "password": "kola-nut-Sunrise-42",
                "fullName": "Ada",
                "phone": "08031234567",
            },
            format="json",
        )
    assert response.status_code == 201

    email_code = sent_code(
        fake_sendgrid.sent,
        match=lambda body: (
            body["personalizations"][0]["to"][0]["email"] == "ada@example.com" and "code" in body["subject"]
        ),
    )
    sms_code = sent_code(fake_termii.sent, match=lambda body: body["to"] == "2348031234567")
    assert len(fake_sendgrid.sent) == 2  # welcome and the email code

    for payload in (
        {"type": "email", "email": "ada@example.com", "code": email_code},
        {"type": "phone", "phone": "+2348031234567", "code": sms_code},
    ):
        assert api_client.post("/api/v1/auth/verify-otp", payload, format="json").status_code == 200
    user = User.objects.get(email="ada@example.com")
    assert (user.email_verified, user.phone_verified) == (True, True)
    response = api_client.post(
        "/api/v1/auth/login", {"email": "ada@example.com", "password": "kola-nut-Sunrise-42"}, format="json"
    )
    assert response.status_code == 200
