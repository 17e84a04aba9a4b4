"""Sign-up, sign-in (with the two-factor step) and passwords."""

import functools
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import messages
from accounts.models import (
    OtpType,
    OtpVerification,
    User,
    UserSettings,
)
from accounts.passwords import hash_password, verify_password
from accounts.services.codes import otp_create, otp_issue, otp_send_guard, otp_verify
from accounts.services.core import (
    ACCOUNT_DISABLED,
    EMAIL_TAKEN,
    PHONE_TAKEN,
    WRONG_LOGIN,
    InvalidCredentials,
    InvalidOtp,
    normalise_email,
    normalise_user_phone,
    user_settings_get,
)
from accounts.throttles import auth_throttle
from accounts.tokens import access_tokens_invalidate, refresh_tokens_revoke_all
from config.errors import Conflict, InvalidInput, PermissionDenied


def user_register(*, email: str, password: str, full_name: str, phone: str, ip: str | None = None) -> User:
    """A new merchant, unverified; a welcome message and a code for the email and the phone go out."""
    email = normalise_email(email)
    auth_throttle(scope="register", identity=email, ip=ip)
    phone = normalise_user_phone(phone)
    full_name = (full_name or "").strip()
    if not full_name:
        raise InvalidInput({"full_name": ["Enter your full name."]})
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(EMAIL_TAKEN, details={"email": [EMAIL_TAKEN]})
    if User.objects.filter(phone=phone).exists():
        raise Conflict(PHONE_TAKEN, details={"phone": [PHONE_TAKEN]})
    user = User(email=email, full_name=full_name, phone=phone)
    _validate_new_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
            UserSettings.objects.create(user=user)
            messages.send_welcome(user=user)
            otp_issue(otp_type=OtpType.EMAIL, email=email, ip=ip)
            otp_issue(otp_type=OtpType.PHONE, phone=phone, ip=ip)
    except IntegrityError:
        # Two sign-ups with the same email or phone at once: the unique key decides.
        raise Conflict("An account with this email address or phone number already exists.") from None
    return user


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def user_authenticate(*, email: str, password: str, ip: str | None = None) -> User:
    """The user behind an email and password, or InvalidCredentials; disabled accounts are refused."""
    identity = (email or "").strip().lower()
    auth_throttle(scope="login", identity=identity, ip=ip)
    user = User.objects.filter(email__iexact=identity).first() if identity else None
    if user is None:
        # Same work as a real check, so the response time does not tell who has an account.
        verify_password(password or "", _dummy_hash())
        raise InvalidCredentials(WRONG_LOGIN)
    if not user.check_password(password or ""):
        raise InvalidCredentials(WRONG_LOGIN)
    if not user.is_active or user.is_deleted:
        raise PermissionDenied(ACCOUNT_DISABLED, code="account_disabled")
    return user


def login_needs_otp(*, user: User) -> bool:
    return bool(user_settings_get(user=user).two_factor_enabled)


def login_otp_issue(*, user: User, ip: str | None = None) -> OtpVerification:
    """The code for a two-factor sign-in. A password entered again within the resend cool-down
    keeps the code just sent (which still works) instead of being refused."""
    now = timezone.now()
    recent = OtpVerification.objects.filter(
        type=OtpType.LOGIN,
        email=user.email,
        verified=False,
        expires_at__gt=now,
        created_at__gte=now - timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS),
    ).first()
    if recent is not None:
        return recent
    return otp_issue(otp_type=OtpType.LOGIN, email=user.email, ip=ip)


def login_otp_verify(*, email: str, code: str, ip: str | None = None) -> User:
    otp = otp_verify(otp_type=OtpType.LOGIN, email=email, code=code, ip=ip)
    user = User.objects.filter(email__iexact=otp.email).first()
    if user is None or not user.is_active or user.is_deleted:
        raise PermissionDenied(ACCOUNT_DISABLED, code="account_disabled")
    return user


def user_login_record(*, user: User, ip: str | None = None, user_agent: str = "") -> None:
    """A completed sign-in: last_login_at, and the sign-in alert when the user wants one."""
    with transaction.atomic():
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
        if user_settings_get(user=user).login_alerts:
            messages.send_login_alert(user=user, ip=ip, user_agent=user_agent[:200])


def _validate_new_password(password: str, user: User | None, field: str = "password") -> None:
    try:
        validate_password(password or "", user)
    except ValidationError as error:
        raise InvalidInput({field: error.messages}) from None


def _password_set(*, user: User, password: str) -> None:
    """A new password ends every other way in: refresh tokens, access tokens, other sessions.

    Django sessions carry a hash of the password, so they end by themselves; the page that
    changed it keeps its own session with update_session_auth_hash.
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        refresh_tokens_revoke_all(user=user)
    access_tokens_invalidate(user=user)


def password_forgot(*, email: str, ip: str | None = None) -> None:
    """Send a reset code if the email has an account; the caller's answer is the same either way."""
    identity = normalise_email(email)
    auth_throttle(scope="password-reset", identity=identity, ip=ip)
    otp_send_guard(otp_type=OtpType.PASSWORD_RESET, identity=identity, ip=ip)
    if User.objects.filter(email__iexact=identity, is_active=True, deleted_at__isnull=True).exists():
        otp_create(otp_type=OtpType.PASSWORD_RESET, identity=identity)


def password_reset(*, email: str, code: str, new_password: str, ip: str | None = None) -> User:
    identity = normalise_email(email)
    auth_throttle(scope="password-reset", identity=identity, ip=ip)
    user = User.objects.filter(email__iexact=identity, is_active=True, deleted_at__isnull=True).first()
    # Checked before the code, so a weak password does not use the code up.
    _validate_new_password(new_password, user, field="new_password")
    otp_verify(otp_type=OtpType.PASSWORD_RESET, email=identity, code=code, ip=ip)
    if user is None:
        raise InvalidOtp("This code has expired or been replaced. Ask for a new code.", code="otp_expired")
    _password_set(user=user, password=new_password)
    return user


def password_change(*, user: User, current_password: str, new_password: str) -> None:
    auth_throttle(scope="password-change", identity=str(user.pk), ip=None)
    if not user.check_password(current_password or ""):
        raise InvalidInput({"current_password": ["Your current password is not correct."]})
    if current_password == new_password:
        raise InvalidInput({"new_password": ["Choose a password different from your current one."]})
    _validate_new_password(new_password, user, field="new_password")
    _password_set(user=user, password=new_password)
