"""The HTML pages end to end, with the test client posting the forms as a browser would."""

import bcrypt
import pytest
from django.core import mail
from django.test import Client

from accounts.models import OtpType, OtpVerification, User, UserSettings
from tests.accounts.conftest import emailed_code, texted_code
from tests.factories import DEFAULT_PASSWORD, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def request(client, path, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {}, **kwargs)

    return request


def signed_in_user(client):
    return client.get("/dashboard/").wsgi_request.user


def test_sign_up_verify_log_out_and_log_in(client, post):
    assert client.get("/auth/signup/").status_code == 200
    response = post(
        client,
        "/auth/signup/",
        {
            "full_name": "Ada Obi",
            "email": "Ada@Example.com",
            "phone": "08031234567",
            "password": "kola-nut-Sunrise-42",
            "password_confirm": "kola-nut-Sunrise-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/auth/verify/"
    user = User.objects.get(email="ada@example.com")
    assert signed_in_user(client) == user

    page = client.get("/auth/verify/")
    assert "Verify email" in page.content.decode()
    post(client, "/auth/verify/", {"type": "email", "email-code": emailed_code("ada@example.com")})
    response = post(client, "/auth/verify/", {"type": "phone", "phone-code": texted_code("+2348031234567")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email_verified, user.phone_verified) == (True, True)

    assert client.get("/auth/logout/").status_code == 405
    response = post(client, "/auth/logout/")
    assert response.status_code == 302
    assert not signed_in_user(client).is_authenticated

    response = post(client, "/auth/login/", {"email": "ada@example.com", "password": "kola-nut-Sunrise-42"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session.get_expire_at_browser_close() is True
    user.refresh_from_db()
    assert user.last_login is not None
    assert mail.outbox[-1].subject == "New sign-in to your AGM Store Builder account"


def test_remember_me_keeps_the_session(client, post):
    UserFactory(email="keep@example.com")
    post(
        client, "/auth/login/", {"email": "keep@example.com", "password": DEFAULT_PASSWORD, "remember": "on"}
    )
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == 30 * 24 * 3600


def test_login_goes_to_a_safe_next_only(client, post):
    UserFactory(email="next@example.com")
    response = post(
        client,
        "/auth/login/",
        {"email": "next@example.com", "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/dashboard/"
    client.logout()
    response = post(
        client,
        "/auth/login/",
        {"email": "next@example.com", "password": DEFAULT_PASSWORD, "next": "/dashboard/account/"},
    )
    assert response["Location"] == "/dashboard/account/"


def test_login_needs_the_csrf_token():
    UserFactory(email="csrf@example.com")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/auth/login/", {"email": "csrf@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403


def test_signup_errors_are_shown_and_nothing_is_created(client, post):
    UserFactory(email="taken@example.com")
    data = {
        "full_name": "Ada",
        "email": "taken@example.com",
        "phone": "08031234567",
        "password": "kola-nut-Sunrise-42",
        "password_confirm": "kola-nut-Sunrise-42",
    }
    response = post(client, "/auth/signup/", data)
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()

    response = post(client, "/auth/signup/", {**data, "email": "new@example.com", "phone": "12"})
    assert "Enter a valid Nigerian mobile number" in response.content.decode()

    response = post(
        client,
        "/auth/signup/",
        {**data, "email": "new@example.com", "password": "password", "password_confirm": "password"},
    )
    assert "This password is too common." in response.content.decode()

    assert User.objects.count() == 1
    assert OtpVerification.objects.count() == 0


def test_wrong_password_and_disabled_account(client, post):
    UserFactory(email="off@example.com", is_active=False)
    UserFactory(email="on@example.com")
    response = post(client, "/auth/login/", {"email": "on@example.com", "password": "nope"})
    assert "Incorrect email or password." in response.content.decode()
    response = post(client, "/auth/login/", {"email": "off@example.com", "password": DEFAULT_PASSWORD})
    assert "This account has been disabled." in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_two_factor_login(client, post):
    user = UserFactory(email="2fa@example.com")
    UserSettings.objects.create(user=user, two_factor_enabled=True)
    response = post(client, "/auth/login/", {"email": "2fa@example.com", "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/auth/login/code/"
    assert not signed_in_user(client).is_authenticated

    response = post(
        client,
        "/auth/login/code/",
        {"code": "000000" if emailed_code("2fa@example.com") != "000000" else "111111"},
    )
    assert "That code is not right. 4 tries left." in response.content.decode()
    response = post(client, "/auth/login/code/", {"code": emailed_code("2fa@example.com")})
    assert response["Location"] == "/dashboard/"
    assert signed_in_user(client) == user


def test_forgot_and_reset_password(client, post):
    user = UserFactory(email="reset@example.com")
    response = post(client, "/auth/password/forgot/", {"email": "ghost@example.com"})
    assert response.status_code == 302
    assert OtpVerification.objects.count() == 0
    response = post(client, "/auth/password/forgot/", {"email": "reset@example.com"}, follow=True)
    assert "If an account uses this email address" in response.content.decode()
    code = emailed_code("reset@example.com")

    response = post(
        client,
        "/auth/password/reset/",
        {
            "email": "reset@example.com",
            "code": code,
            "new_password": "Puff-Puff-2026",
            "password_confirm": "Puff-Puff-2026",
        },
    )
    assert response["Location"] == "/auth/login/"
    user.refresh_from_db()
    assert bcrypt.checkpw(b"Puff-Puff-2026", user.password.encode())
    assert OtpVerification.objects.get(type=OtpType.PASSWORD_RESET).verified is True


def test_dashboard_pages_need_login(client):
    for path in (
        "/dashboard/account/",
        "/dashboard/account/settings/",
        "/dashboard/account/password/",
        "/dashboard/account/delete/",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/auth/login/?next=")


def test_profile_and_settings_pages(client, post, merchant):
    client.force_login(merchant)
    assert client.get("/dashboard/account/").status_code == 200
    response = post(client, "/dashboard/account/", {"full_name": "New Name", "phone": merchant.phone})
    assert response["Location"] == "/dashboard/account/"
    merchant.refresh_from_db()
    assert merchant.full_name == "New Name"

    response = post(client, "/dashboard/account/", {"full_name": "New Name", "phone": "0905 000 0001"})
    assert response["Location"] == "/auth/verify/"
    merchant.refresh_from_db()
    assert (merchant.phone, merchant.phone_verified) == ("+2349050000001", False)

    assert client.get("/dashboard/account/settings/").status_code == 200
    data = {
        "email_notifications": "on",
        "profile_visibility": "private",
        "default_currency": "ngn",
        "timezone": "Africa/Lagos",
        "language": "en",
        "login_alerts": "on",
    }
    response = post(client, "/dashboard/account/settings/", data)
    assert response.status_code == 302
    saved = UserSettings.objects.get(user=merchant)
    assert (saved.profile_visibility, saved.sms_notifications, saved.default_currency) == (
        "private",
        False,
        "NGN",
    )


def test_password_change_ends_other_sessions(post, merchant):
    here, elsewhere = Client(), Client()
    here.force_login(merchant)
    elsewhere.force_login(merchant)
    response = post(
        here,
        "/dashboard/account/password/",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "Moi-Moi-4ever",
            "password_confirm": "Moi-Moi-4ever",
        },
    )
    assert response.status_code == 302
    assert here.get("/dashboard/").status_code == 200
    assert elsewhere.get("/dashboard/").status_code == 302


def test_delete_account_page(client, post, merchant):
    store = StoreFactory(user=merchant)
    client.force_login(merchant)
    response = post(client, "/dashboard/account/delete/", {"password": DEFAULT_PASSWORD})
    assert "This field is required." in response.content.decode()
    response = post(client, "/dashboard/account/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"})
    assert response["Location"] == "/auth/login/"
    merchant.refresh_from_db()
    assert (merchant.is_active, merchant.email) == (False, f"deleted-{merchant.pk}@invalid")
    store.refresh_from_db()
    assert store.is_active is False
    assert not signed_in_user(client).is_authenticated
