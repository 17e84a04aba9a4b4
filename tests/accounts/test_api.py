"""The JSON API end to end: sign-up, codes, sign-in, token rotation, passwords, profile."""

import io
from datetime import timedelta

import bcrypt
import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import OtpType, OtpVerification, RefreshToken, User, UserSettings
from notifications.models import DeliveryLog
from tests.accounts.conftest import emailed_code, texted_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Ada.Obi@Example.com",
    "password": "kola-nut-Sunrise-42",
    "fullName": "Ada Obi",
    "phone": "+234 803 123 4567",
}


@pytest.fixture
def call(api_client, django_capture_on_commit_callbacks):
    """POST/GET/… on the API, running on-commit work (the messages) as a real request would."""

    def request(method, path, data=None, client=None, **kwargs):
        kwargs.setdefault("format", "json")
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client or api_client, method)(f"/api/v1/{path}", data, **kwargs)

    return request


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_sign_up_verify_sign_in_refresh_reuse_and_logout(call):
    response = call("post", "auth/register", SIGNUP)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["success"] is True
    assert body["data"]["user"]["email"] == "ada.obi@example.com"
    assert body["data"]["user"]["phone"] == "+2348031234567"
    assert body["data"]["user"]["emailVerified"] is False

    response = call(
        "post",
        "auth/verify-otp",
        {"type": "email", "email": "ada.obi@example.com", "code": emailed_code("ada.obi@example.com")},
    )
    assert response.status_code == 200, response.json()
    response = call(
        "post",
        "auth/verify-otp",
        {"type": "phone", "phone": "08031234567", "code": texted_code("+2348031234567")},
    )
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="ada.obi@example.com")
    assert (user.email_verified, user.phone_verified) == (True, True)

    response = call("post", "auth/login", {"email": "ADA.OBI@example.com", "password": "kola-nut-Sunrise-42"})
    assert response.status_code == 200, response.json()
    tokens = response.json()["data"]
    assert tokens["user"]["id"] == user.pk
    user.refresh_from_db()
    assert user.last_login is not None
    assert mail.outbox[-1].subject == "New sign-in to your AGM Store Builder account"

    claims = AccessToken(tokens["accessToken"])
    assert (claims["user_id"], claims["role"], claims["token_type"]) == (user.pk, "user", "access")
    assert claims["exp"] - claims["iat"] == 15 * 60

    me = call("get", "users/me", client=bearer(tokens["accessToken"]))
    assert me.status_code == 200
    assert me.json()["data"]["fullName"] == "Ada Obi"

    response = call("post", "auth/refresh", {"refreshToken": tokens["refreshToken"]})
    assert response.status_code == 200, response.json()
    rotated = response.json()["data"]
    assert rotated["refreshToken"] != tokens["refreshToken"]
    assert (
        RefreshToken.objects.filter(user=user, revoked=True).count(),
        RefreshToken.objects.filter(user=user, revoked=False).count(),
    ) == (1, 1)

    response = call("post", "auth/refresh", {"refreshToken": tokens["refreshToken"]})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_reused"
    assert RefreshToken.objects.filter(user=user, revoked=False).count() == 0
    response = call("post", "auth/refresh", {"refreshToken": rotated["refreshToken"]})
    assert response.status_code == 401

    again = call(
        "post", "auth/login", {"email": "ada.obi@example.com", "password": "kola-nut-Sunrise-42"}
    ).json()
    response = call("post", "auth/logout", {"refreshToken": again["data"]["refreshToken"]})
    assert response.status_code == 200
    assert RefreshToken.objects.filter(user=user, revoked=False).count() == 0
    assert call("post", "auth/refresh", {"refreshToken": again["data"]["refreshToken"]}).status_code == 401


def test_refresh_tokens_are_stored_hashed(call):
    UserFactory(email="hash@example.com")
    tokens = call("post", "auth/login", {"email": "hash@example.com", "password": DEFAULT_PASSWORD}).json()[
        "data"
    ]
    stored = RefreshToken.objects.get()
    assert stored.token_hash != tokens["refreshToken"]
    assert len(stored.token_hash) == 64
    assert stored.expires_at - timezone.now() > timedelta(days=6, hours=23)


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"email": "TAKEN@example.com"}, 409, "conflict", "email"),
        ({"phone": "0803 999 0000"}, 409, "conflict", "phone"),
        ({"password": "password123"}, 400, "validation_error", "password"),
        ({"password": "short"}, 400, "validation_error", "password"),
        ({"phone": "0123"}, 400, "invalid_phone", "phone"),
        ({"email": "nope"}, 400, "validation_error", "email"),
    ],
)
def test_register_bad_input_writes_nothing(call, change, status, code, field):
    UserFactory(email="taken@example.com", phone="+2348039990000")
    response = call("post", "auth/register", {**SIGNUP, **change})
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    if field:
        assert field in body["error"]["details"]
    assert User.objects.count() == 1
    assert UserSettings.objects.count() == 0
    assert OtpVerification.objects.count() == 0
    assert mail.outbox == []


def test_wrong_code_then_sixth_try(call):
    call("post", "auth/register", SIGNUP)
    otp = OtpVerification.objects.get(type=OtpType.EMAIL)
    wrong = "123456" if otp.code != "123456" else "654321"
    payload = {"type": "email", "email": "ada.obi@example.com", "code": wrong}

    first = call("post", "auth/verify-otp", payload)
    assert first.status_code == 400
    assert first.json()["message"] == "That code is not right. 4 tries left."
    for _ in range(4):
        call("post", "auth/verify-otp", payload)
    sixth = call("post", "auth/verify-otp", {**payload, "code": otp.code})

    assert sixth.status_code == 400
    assert sixth.json()["error"]["code"] == "otp_burned"
    otp.refresh_from_db()
    assert otp.verified is False
    assert User.objects.get().email_verified is False


def test_expired_code(call):
    call("post", "auth/register", SIGNUP)
    otp = OtpVerification.objects.get(type=OtpType.PHONE)
    OtpVerification.objects.filter(pk=otp.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = call("post", "auth/verify-otp", {"type": "phone", "phone": "+2348031234567", "code": otp.code})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "otp_expired"
    assert User.objects.get().phone_verified is False


def test_malformed_code_is_a_validation_error(call):
    response = call("post", "auth/verify-otp", {"type": "email", "email": "a@example.com", "code": "12ab"})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["code"] == ["Enter the 6-digit code."]


def test_resend_code(call, settings):
    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    call("post", "auth/register", SIGNUP)
    old = OtpVerification.objects.get(type=OtpType.EMAIL)
    response = call("post", "auth/resend-otp", {"type": "email", "email": "ada.obi@example.com"})
    assert response.status_code == 200
    new = OtpVerification.objects.get(type=OtpType.EMAIL)
    assert new.pk != old.pk
    assert emailed_code("ada.obi@example.com") == new.code


def test_forgot_password_same_answer_for_unknown_email_and_reset(call):
    user = UserFactory(email="known@example.com")
    unknown = call("post", "auth/forgot-password", {"email": "unknown@example.com"})
    assert OtpVerification.objects.count() == 0
    assert DeliveryLog.objects.count() == 0
    assert mail.outbox == []
    known = call("post", "auth/forgot-password", {"email": "known@example.com"})
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert OtpVerification.objects.filter(type=OtpType.PASSWORD_RESET, email="known@example.com").count() == 1

    code = emailed_code("known@example.com")
    assert mail.outbox[-1].subject == f"{code} is your AGM Store Builder password reset code"
    assert "/auth/password/reset/?email=known%40example.com" in mail.outbox[-1].body
    weak = call(
        "post", "auth/reset-password", {"email": "known@example.com", "code": code, "newPassword": "12345678"}
    )
    assert weak.status_code == 400
    assert "newPassword" in weak.json()["error"]["details"]
    response = call(
        "post",
        "auth/reset-password",
        {"email": "known@example.com", "code": code, "newPassword": "Egusi-Soup-2026"},
    )
    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert bcrypt.checkpw(b"Egusi-Soup-2026", user.password.encode())
    assert user.password.startswith("$2b$")
    assert (
        call("post", "auth/login", {"email": "known@example.com", "password": DEFAULT_PASSWORD}).status_code
        == 401
    )


def test_a_node_written_bcrypt_hash_logs_in(call):
    user = UserFactory(email="node@example.com")
    node_hash = bcrypt.hashpw(b"Jollof-Rice-99", bcrypt.gensalt(rounds=10, prefix=b"2b")).decode()
    assert node_hash.startswith("$2b$10$")
    User.objects.filter(pk=user.pk).update(password=node_hash)

    response = call("post", "auth/login", {"email": "node@example.com", "password": "Jollof-Rice-99"})

    assert response.status_code == 200, response.json()
    assert bcrypt.checkpw(b"Jollof-Rice-99", User.objects.get(pk=user.pk).password.encode())


@pytest.mark.parametrize("state", ["inactive", "deleted"])
def test_disabled_accounts_cannot_sign_in_or_use_tokens(call, state):
    user = UserFactory(email="off@example.com")
    access = call("post", "auth/login", {"email": "off@example.com", "password": DEFAULT_PASSWORD}).json()[
        "data"
    ]["accessToken"]
    if state == "inactive":
        User.objects.filter(pk=user.pk).update(is_active=False)
    else:
        User.objects.filter(pk=user.pk).update(deleted_at=timezone.now())

    response = call("post", "auth/login", {"email": "off@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_disabled"
    assert call("get", "users/me", client=bearer(access)).status_code == 401
    assert RefreshToken.objects.filter(user=user).count() == 1


def test_wrong_password(call):
    UserFactory(email="me@example.com")
    response = call("post", "auth/login", {"email": "me@example.com", "password": "not-it"})
    assert response.status_code == 401
    assert response.json()["message"] == "Incorrect email or password."
    assert RefreshToken.objects.count() == 0


def test_two_factor_login_needs_the_emailed_code(call):
    user = UserFactory(email="2fa@example.com")
    UserSettings.objects.create(user=user, two_factor_enabled=True, login_alerts=False)

    response = call("post", "auth/login", {"email": "2fa@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 202
    assert response.json()["data"] == {"otpRequired": True, "email": "2fa@example.com"}
    assert RefreshToken.objects.count() == 0

    again = call("post", "auth/login", {"email": "2fa@example.com", "password": DEFAULT_PASSWORD})
    assert again.status_code == 202
    assert OtpVerification.objects.filter(type=OtpType.LOGIN).count() == 1

    response = call(
        "post",
        "auth/verify-otp",
        {"type": "login", "email": "2fa@example.com", "code": emailed_code("2fa@example.com")},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["user"]["email"] == "2fa@example.com"
    assert RefreshToken.objects.filter(user=user, revoked=False).count() == 1


def test_change_password_ends_other_tokens(call):
    user = UserFactory(email="chg@example.com")
    tokens = call("post", "auth/login", {"email": "chg@example.com", "password": DEFAULT_PASSWORD}).json()[
        "data"
    ]
    client = bearer(tokens["accessToken"])

    wrong = call(
        "post",
        "users/change-password",
        {"currentPassword": "nope", "newPassword": "Suya-Night-88"},
        client=client,
    )
    assert wrong.status_code == 400
    assert "currentPassword" in wrong.json()["error"]["details"]

    response = call(
        "post",
        "users/change-password",
        {"currentPassword": DEFAULT_PASSWORD, "newPassword": "Suya-Night-88"},
        client=client,
    )
    assert response.status_code == 200, response.json()
    fresh = response.json()["data"]
    user.refresh_from_db()
    assert bcrypt.checkpw(b"Suya-Night-88", user.password.encode())
    assert call("get", "users/me", client=client).status_code == 401
    assert call("get", "users/me", client=bearer(fresh["accessToken"])).status_code == 200
    assert call("post", "auth/refresh", {"refreshToken": tokens["refreshToken"]}).status_code == 401
    assert RefreshToken.objects.filter(user=user, revoked=False).count() == 0


def test_profile_update_and_avatar(merchant, merchant_api, call):
    response = call(
        "patch", "users/me", {"fullName": "Chi Chi", "phone": "0909 000 1111"}, client=merchant_api
    )
    assert response.status_code == 200, response.json()
    merchant.refresh_from_db()
    assert (merchant.full_name, merchant.phone, merchant.phone_verified) == (
        "Chi Chi",
        "+2349090001111",
        False,
    )
    assert OtpVerification.objects.filter(type=OtpType.PHONE, phone="+2349090001111").count() == 1

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    picture.name = "me.png"
    picture.seek(0)
    response = call("put", "users/me", {"avatar": picture}, client=merchant_api, format="multipart")
    assert response.status_code == 200, response.json()
    merchant.refresh_from_db()
    assert merchant.avatar_url.startswith(f"/media/avatars/{merchant.pk}/")

    fake = io.BytesIO(b"not an image at all")
    fake.name = "me.png"
    response = call("put", "users/me", {"avatar": fake}, client=merchant_api, format="multipart")
    assert response.status_code == 400
    assert "avatar" in response.json()["error"]["details"]


def test_profile_phone_taken(merchant, merchant_api, call):
    UserFactory(phone="+2348035550000")
    response = call("put", "users/me", {"phone": "08035550000"}, client=merchant_api)
    assert response.status_code == 409
    phone = merchant.phone
    merchant.refresh_from_db()
    assert merchant.phone == phone


def test_settings_get_and_put(merchant, merchant_api, call):
    response = call("get", "users/me/settings", client=merchant_api)
    assert response.status_code == 200
    assert response.json()["data"]["timezone"] == "Africa/Lagos"

    response = call(
        "put", "users/me/settings", {"twoFactorEnabled": True, "smsNotifications": False}, client=merchant_api
    )
    assert response.status_code == 200, response.json()
    saved = UserSettings.objects.get(user=merchant)
    assert (saved.two_factor_enabled, saved.sms_notifications, saved.email_notifications) == (
        True,
        False,
        True,
    )

    bad = call("put", "users/me/settings", {"timezone": "Mars/Olympus"}, client=merchant_api)
    assert bad.status_code == 400
    assert UserSettings.objects.get(user=merchant).timezone == "Africa/Lagos"


def test_delete_account(merchant, merchant_api, call):
    wrong = call("delete", "users/me", {"password": "nope"}, client=merchant_api)
    assert wrong.status_code == 400
    assert User.objects.get(pk=merchant.pk).is_active is True

    response = call("delete", "users/me", {"password": DEFAULT_PASSWORD}, client=merchant_api)
    assert response.status_code == 200
    merchant.refresh_from_db()
    assert (merchant.is_active, merchant.full_name, merchant.phone) == (False, "Deleted user", None)
    assert call("get", "users/me", client=merchant_api).status_code == 401


def test_me_needs_a_token(call):
    response = call("get", "users/me")
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_security_messages_ignore_preferences_and_alerts_can_be_turned_off(call):
    user = UserFactory(email="quiet@example.com")
    UserSettings.objects.create(user=user, email_notifications=False, login_alerts=True)
    call("post", "auth/login", {"email": "quiet@example.com", "password": DEFAULT_PASSWORD})
    assert list(DeliveryLog.objects.values_list("template", "status")) == [("login_alert", "sent")]

    UserSettings.objects.filter(user=user).update(login_alerts=False)
    call("post", "auth/login", {"email": "quiet@example.com", "password": DEFAULT_PASSWORD})
    assert DeliveryLog.objects.count() == 1


def test_every_accounts_endpoint_is_documented_with_its_shapes(client):
    schema = client.get("/api/schema", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "register",
        "login",
        "verify-otp",
        "resend-otp",
        "refresh",
        "logout",
        "forgot-password",
        "reset-password",
    ):
        assert "requestBody" in paths[f"/api/v1/auth/{path}"]["post"], path
    assert set(paths["/api/v1/users/me"]) >= {"get", "put", "patch", "delete"}
    assert "multipart/form-data" in paths["/api/v1/users/me"]["put"]["requestBody"]["content"]
    assert set(paths["/api/v1/users/me/settings"]) >= {"get", "put"}
    assert "requestBody" in paths["/api/v1/users/change-password"]["post"]
    tokens = schema["components"]["schemas"]["Tokens"]["properties"]
    assert set(tokens) == {"accessToken", "refreshToken", "tokenType", "expiresIn", "user"}
