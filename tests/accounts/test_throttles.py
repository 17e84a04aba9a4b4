"""Attempt limits: the N+1th attempt inside the window gets 429 with Retry-After, on every surface."""

import time

import pytest
import time_machine
from django.core import mail

from accounts.models import OtpVerification, User
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.redis_keys import run_keys_delete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_window():
    """Counters live in one-minute windows: the clock starts a second into the next one (and
    runs on), so no test can straddle two windows."""
    with time_machine.travel((time.time() // 60 + 1) * 60 + 1, tick=True):
        yield


@pytest.fixture
def limits(settings):
    settings.AUTH_RATE_LIMIT_PER_MINUTE = 3
    settings.AUTH_IP_RATE_LIMIT_PER_MINUTE = 5
    return settings


def assert_limited(response):
    assert response.status_code == 429
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 61
    assert body["error"]["details"]["retryAfter"] == int(response["Retry-After"])


def test_login_per_email(api_client, limits):
    UserFactory(email="target@example.com")
    for _ in range(3):
        response = api_client.post("/api/v1/auth/login", {"email": "target@example.com", "password": "guess"})
        assert response.status_code == 401
    limited = api_client.post(
        "/api/v1/auth/login", {"email": "target@example.com", "password": DEFAULT_PASSWORD}
    )
    assert_limited(limited)
    assert User.objects.get(email="target@example.com").last_login is None
    # Another account from the same address is still within the per-IP limit.
    UserFactory(email="other@example.com")
    response = api_client.post(
        "/api/v1/auth/login", {"email": "other@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200


def test_login_per_ip(api_client, limits):
    for number in range(5):
        api_client.post("/api/v1/auth/login", {"email": f"user{number}@example.com", "password": "x"})
    assert_limited(api_client.post("/api/v1/auth/login", {"email": "user9@example.com", "password": "x"}))
    other_ip = api_client.post(
        "/api/v1/auth/login", {"email": "user9@example.com", "password": "x"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_ip.status_code == 401


def test_register_per_email(api_client, limits):
    data = {
        "email": "dup@example.com",
        "password": "kola-nut-Sunrise-42",
        "fullName": "D",
        "phone": "08031110000",
    }
    api_client.post("/api/v1/auth/register", data)
    for _ in range(2):
        assert api_client.post("/api/v1/auth/register", data).status_code == 409
    assert_limited(api_client.post("/api/v1/auth/register", data))
    assert User.objects.count() == 1


def test_verify_per_identity(api_client, limits):
    for _ in range(3):
        response = api_client.post(
            "/api/v1/auth/verify-otp", {"type": "email", "email": "a@example.com", "code": "123456"}
        )
        assert response.status_code == 400
    assert_limited(
        api_client.post(
            "/api/v1/auth/verify-otp", {"type": "email", "email": "a@example.com", "code": "123456"}
        )
    )


def test_password_reset_requests_and_attempts(api_client, limits):
    limits.OTP_RESEND_COOLDOWN_SECONDS = 0
    limits.OTP_SENDS_PER_HOUR = 100
    for _ in range(3):
        assert api_client.post("/api/v1/auth/forgot-password", {"email": "x@example.com"}).status_code == 200
    assert_limited(api_client.post("/api/v1/auth/forgot-password", {"email": "x@example.com"}))

    attempt = {"email": "y@example.com", "code": "123456", "newPassword": "Egusi-Soup-2026"}
    for _ in range(3):
        assert (
            api_client.post("/api/v1/auth/reset-password", attempt, REMOTE_ADDR="10.0.0.3").status_code == 400
        )
    assert_limited(api_client.post("/api/v1/auth/reset-password", attempt, REMOTE_ADDR="10.0.0.3"))


def test_code_resend_cooldown_and_hourly_cap(api_client, settings):
    UserFactory(email="wait@example.com", email_verified=False)
    resend = {"type": "email", "email": "wait@example.com"}
    assert api_client.post("/api/v1/auth/resend-otp", resend).status_code == 200
    limited = api_client.post("/api/v1/auth/resend-otp", resend)
    assert_limited(limited)
    assert 55 <= int(limited["Retry-After"]) <= 60
    assert OtpVerification.objects.count() == 1

    run_keys_delete()  # a new minute and a new hour: no counter left
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    settings.OTP_SENDS_PER_HOUR = 3
    for _ in range(3):
        assert api_client.post("/api/v1/auth/resend-otp", resend).status_code == 200
    limited = api_client.post("/api/v1/auth/resend-otp", resend)
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 3601


def test_unknown_and_known_emails_get_the_same_limits(api_client):
    UserFactory(email="known@example.com")
    for email in ("known@example.com", "ghost@example.com"):
        assert api_client.post("/api/v1/auth/forgot-password", {"email": email}).status_code == 200
        assert api_client.post("/api/v1/auth/forgot-password", {"email": email}).status_code == 429


def test_login_page_shows_the_limit(client, limits):
    UserFactory(email="page@example.com")
    for _ in range(3):
        client.post("/auth/login/", {"email": "page@example.com", "password": "guess"})
    response = client.post("/auth/login/", {"email": "page@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "Too many attempts. Try again in" in response.content.decode()
    assert mail.outbox == []


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_ip_limit(api_client, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request arrives from the load balancer
    for number in range(5):
        response = api_client.post(
            "/api/v1/auth/login",
            {"email": f"user{number}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR="41.58.0.1",
            **proxy,
        )
        assert response.status_code == 401
    first = {"HTTP_X_FORWARDED_FOR": "41.58.0.1", **proxy}
    assert_limited(
        api_client.post("/api/v1/auth/login", {"email": "u9@example.com", "password": "x"}, **first)
    )
    # a forged entry on the left does not help: the proxy's own entry (the rightmost) counts
    forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 41.58.0.1", **proxy}
    assert_limited(
        api_client.post("/api/v1/auth/login", {"email": "u9@example.com", "password": "x"}, **forged)
    )
    second = {"HTTP_X_FORWARDED_FOR": "102.89.0.7", **proxy}
    other = api_client.post("/api/v1/auth/login", {"email": "u9@example.com", "password": "x"}, **second)
    assert other.status_code == 401


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(api_client, limits):
    limits.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        api_client.post(
            "/api/v1/auth/login",
            {"email": f"user{number}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{number}",
        )
    forged = api_client.post(
        "/api/v1/auth/login", {"email": "u9@example.com", "password": "x"}, HTTP_X_FORWARDED_FOR="7.7.7.7"
    )
    assert_limited(forged)
