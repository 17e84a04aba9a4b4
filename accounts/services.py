"""Accounts: sign-up, one-time codes, sign-in, passwords, profile, settings and deletion.

The HTML pages and the API call these functions; neither decides anything by itself.
"""

import functools
import secrets
import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from accounts import messages
from accounts.deletion import deletion_cleanup, deletion_guard
from accounts.models import (
    OtpType,
    OtpVerification,
    ProfileVisibility,
    RefreshToken,
    Role,
    User,
    UserSettings,
)
from accounts.passwords import hash_password, verify_password
from accounts.throttles import HOUR, auth_throttle, cooldown_check, cooldown_start, throttle_hit
from accounts.tokens import access_tokens_invalidate, refresh_tokens_revoke_all
from config.errors import Conflict, PermissionDenied, ServiceError
from config.phone_numbers import InvalidPhoneNumber, normalise_phone


class InvalidCredentials(ServiceError):
    code = "invalid_credentials"
    http_status = 401


class InvalidOtp(ServiceError):
    code = "otp_invalid"


EMAIL_TAKEN = "An account with this email address already exists. Sign in, or reset your password."
PHONE_TAKEN = "An account with this phone number already exists."
WRONG_LOGIN = "Incorrect email or password."
FORGOT_ANSWER = "If an account uses this email address, we have sent it a code to reset the password."
ACCOUNT_DISABLED = "This account has been disabled. Contact support if you think this is a mistake."
AVATAR_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
SETTINGS_FIELDS = (
    "email_notifications",
    "sms_notifications",
    "order_notifications",
    "payment_notifications",
    "payout_notifications",
    "marketing_notifications",
    "profile_visibility",
    "show_email",
    "show_phone",
    "default_currency",
    "timezone",
    "language",
    "two_factor_enabled",
    "login_alerts",
)


def normalise_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": ["Enter a valid email address."]}) from None
    return email


def normalise_user_phone(raw: str | None) -> str:
    """+234… or InvalidPhoneNumber naming the `phone` field, for forms and the API alike."""
    try:
        return normalise_phone(raw or "")
    except InvalidPhoneNumber as error:
        raise InvalidPhoneNumber(error.message, details={"phone": [error.message]}) from None


# --- sign-up ---------------------------------------------------------------------------------


def user_register(*, email: str, password: str, full_name: str, phone: str, ip: str | None = None) -> User:
    """A new merchant, unverified; a welcome message and a code for the email and the phone go out."""
    email = normalise_email(email)
    auth_throttle(scope="register", identity=email, ip=ip)
    phone = normalise_user_phone(phone)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": ["Enter your full name."]})
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


# --- one-time codes --------------------------------------------------------------------------


def _otp_field(otp_type: str) -> str:
    return "phone" if otp_type == OtpType.PHONE else "email"


def _attempts_key(otp: OtpVerification) -> str:
    return f"accounts:otp-attempts:{otp.pk}"


def _otp_send_guard(*, otp_type: str, identity: str, ip: str | None) -> None:
    """Refuse a send inside the cool-down or past the hourly caps, then start a new cool-down.

    Callers run this whether or not the identity has an account, so the answers do not
    tell who is registered.
    """
    scope = f"otp:{otp_type}"
    cooldown_check(
        scope=scope,
        who=identity,
        message="A code was sent a moment ago. You can ask for another in {seconds} seconds.",
    )
    throttle_hit(
        scope="otp-send:ip", who=ip, limit=settings.OTP_SENDS_PER_HOUR_PER_IP, window=HOUR, fail_closed=True
    )
    throttle_hit(
        scope="otp-send:id", who=identity, limit=settings.OTP_SENDS_PER_HOUR, window=HOUR, fail_closed=True
    )
    cooldown_start(scope=scope, who=identity, seconds=settings.OTP_RESEND_COOLDOWN_SECONDS)


def _otp_create(*, otp_type: str, identity: str) -> OtpVerification:
    field = _otp_field(otp_type)
    with transaction.atomic():
        # One live code per identity and purpose: a new code replaces the old one.
        OtpVerification.objects.filter(type=otp_type, verified=False, **{field: identity}).delete()
        otp = OtpVerification.objects.create(
            type=otp_type,
            code=f"{secrets.randbelow(10**6):06d}",
            expires_at=timezone.now() + timedelta(minutes=settings.OTP_EXPIRE_MINUTES),
            **{field: identity},
        )
        messages.send_otp(otp=otp)
    return otp


def otp_issue(
    *, otp_type: str, email: str | None = None, phone: str | None = None, ip: str | None = None
) -> OtpVerification:
    identity = phone if otp_type == OtpType.PHONE else email
    _otp_send_guard(otp_type=otp_type, identity=identity, ip=ip)
    return _otp_create(otp_type=otp_type, identity=identity)


def otp_resend(
    *, otp_type: str, email: str | None = None, phone: str | None = None, ip: str | None = None
) -> None:
    """A new code, if the identity is waiting for one; the same answer either way."""
    if otp_type == OtpType.PHONE:
        identity = normalise_user_phone(phone)
        user = User.objects.filter(phone=identity, is_active=True, deleted_at__isnull=True).first()
        waiting = user is not None and not user.phone_verified
    else:
        identity = normalise_email(email)
        user = User.objects.filter(email__iexact=identity, is_active=True, deleted_at__isnull=True).first()
        if otp_type == OtpType.EMAIL:
            waiting = user is not None and not user.email_verified
        elif otp_type == OtpType.LOGIN:
            # Only after a correct password: the login flow left a code to replace.
            waiting = OtpVerification.objects.filter(type=otp_type, email=identity, verified=False).exists()
        else:
            waiting = user is not None
    _otp_send_guard(otp_type=otp_type, identity=identity, ip=ip)
    if waiting:
        _otp_create(otp_type=otp_type, identity=identity)


def otp_verify(
    *,
    otp_type: str,
    code: str,
    email: str | None = None,
    phone: str | None = None,
    ip: str | None = None,
) -> OtpVerification:
    """Check a code; five wrong tries burn it. Email and phone codes mark the user verified."""
    field = _otp_field(otp_type)
    identity = normalise_user_phone(phone) if otp_type == OtpType.PHONE else normalise_email(email)
    auth_throttle(scope="otp-verify", identity=identity, ip=ip)
    otp = (
        OtpVerification.objects.filter(type=otp_type, verified=False, **{field: identity})
        .order_by("-created_at")
        .first()
    )
    if otp is not None and (cache.get(_attempts_key(otp)) or 0) >= settings.OTP_MAX_ATTEMPTS:
        raise InvalidOtp(
            "Too many wrong codes: this code no longer works. Ask for a new code.", code="otp_burned"
        )
    if otp is None or otp.expires_at <= timezone.now():
        raise InvalidOtp("This code has expired or been replaced. Ask for a new code.", code="otp_expired")
    if not secrets.compare_digest(otp.code, (code or "").strip()):
        _otp_wrong_try(otp)
    with transaction.atomic():
        # The conditional update makes a code single-use even under concurrent requests.
        if not OtpVerification.objects.filter(pk=otp.pk, verified=False).update(verified=True):
            raise InvalidOtp("This code has already been used. Ask for a new code.", code="otp_expired")
        otp.verified = True
        if otp_type == OtpType.EMAIL:
            User.objects.filter(email__iexact=identity).update(email_verified=True)
        elif otp_type == OtpType.PHONE:
            User.objects.filter(phone=identity).update(phone_verified=True)
    cache.delete(_attempts_key(otp))
    return otp


def _otp_wrong_try(otp: OtpVerification) -> None:
    key = _attempts_key(otp)
    lifetime = max(1, int((otp.expires_at - timezone.now()).total_seconds()))
    cache.add(key, 0, timeout=lifetime)
    attempts = cache.incr(key)
    left = settings.OTP_MAX_ATTEMPTS - attempts
    if left <= 0:
        # Burned for good, also if the cache is flushed: the row expires now.
        OtpVerification.objects.filter(pk=otp.pk).update(expires_at=timezone.now())
        raise InvalidOtp(
            "Too many wrong codes: this code no longer works. Ask for a new code.", code="otp_burned"
        )
    raise InvalidOtp(f"That code is not right. {left} {'try' if left == 1 else 'tries'} left.")


# --- sign-in ---------------------------------------------------------------------------------


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


# --- passwords -------------------------------------------------------------------------------


def _validate_new_password(password: str, user: User | None, field: str = "password") -> None:
    try:
        validate_password(password or "", user)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


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
    _otp_send_guard(otp_type=OtpType.PASSWORD_RESET, identity=identity, ip=ip)
    if User.objects.filter(email__iexact=identity, is_active=True, deleted_at__isnull=True).exists():
        _otp_create(otp_type=OtpType.PASSWORD_RESET, identity=identity)


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
        raise ValidationError({"current_password": ["Your current password is not correct."]})
    if current_password == new_password:
        raise ValidationError({"new_password": ["Choose a password different from your current one."]})
    _validate_new_password(new_password, user, field="new_password")
    _password_set(user=user, password=new_password)


# --- profile, settings, deletion ------------------------------------------------------------


def user_settings_get(*, user: User) -> UserSettings:
    """Users created by another backend may have no settings row yet; it starts at the defaults."""
    user_settings, _created = UserSettings.objects.get_or_create(user=user)
    return user_settings


def user_profile_update(
    *, user: User, full_name: str | None = None, phone: str | None = None, ip: str | None = None
) -> User:
    """Name and phone; a new phone number is unverified until its code is entered."""
    fields = []
    if full_name is not None:
        full_name = full_name.strip()
        if not full_name:
            raise ValidationError({"full_name": ["Enter your full name."]})
        if full_name != user.full_name:
            user.full_name = full_name
            fields.append("full_name")
    new_phone = None
    if phone is not None:
        normalised = normalise_user_phone(phone)
        if normalised != user.phone:
            if User.objects.filter(phone=normalised).exclude(pk=user.pk).exists():
                raise Conflict(PHONE_TAKEN, details={"phone": [PHONE_TAKEN]})
            new_phone = normalised
    if new_phone:
        # Checked first so that a refused send changes nothing.
        _otp_send_guard(otp_type=OtpType.PHONE, identity=new_phone, ip=ip)
        user.phone = new_phone
        user.phone_verified = False
        fields += ["phone", "phone_verified"]
    if not fields:
        return user
    try:
        with transaction.atomic():
            user.save(update_fields=[*fields, "updated_at"])
            if new_phone:
                _otp_create(otp_type=OtpType.PHONE, identity=new_phone)
    except IntegrityError:
        raise Conflict(PHONE_TAKEN, details={"phone": [PHONE_TAKEN]}) from None
    return user


def user_avatar_set(*, user: User, upload) -> User:
    """A profile picture: a real image (checked by decoding it), at most AVATAR_MAX_BYTES."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        limit = settings.AVATAR_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"avatar": [f"The picture is too large: at most {limit} MB."]})
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"avatar": ["Upload a JPEG, PNG, WebP or GIF picture."]}) from None
    if image_format not in AVATAR_FORMATS:
        raise ValidationError({"avatar": ["Upload a JPEG, PNG, WebP or GIF picture."]})
    upload.seek(0)
    name = default_storage.save(
        f"avatars/{user.pk}/{uuid.uuid4().hex}.{AVATAR_FORMATS[image_format]}", upload
    )
    with transaction.atomic():
        user.avatar_url = default_storage.url(name)
        user.save(update_fields=["avatar_url", "updated_at"])
    return user


def user_settings_update(*, user: User, **changes) -> UserSettings:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({field: ["Not a setting."] for field in sorted(unknown)})
    errors = {}
    if "profile_visibility" in changes and changes["profile_visibility"] not in ProfileVisibility.values:
        errors["profile_visibility"] = ["Choose public or private."]
    if "timezone" in changes and changes["timezone"] not in zoneinfo.available_timezones():
        errors["timezone"] = ["Choose a time zone such as Africa/Lagos."]
    if "default_currency" in changes:
        changes["default_currency"] = (changes["default_currency"] or "").upper()
        if len(changes["default_currency"]) != 3 or not changes["default_currency"].isalpha():
            errors["default_currency"] = ["Use a three-letter currency code such as NGN."]
    if "language" in changes and not 2 <= len(changes["language"] or "") <= 10:
        errors["language"] = ["Use a language code such as en."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user_settings = UserSettings.objects.select_for_update().get(pk=user_settings_get(user=user).pk)
        for field, value in changes.items():
            setattr(user_settings, field, value)
        user_settings.save()
    return user_settings


def user_delete(*, user: User, password: str) -> None:
    """Soft delete: the person's data is cleared, the row stays so their stores' orders keep their owner.

    The email and phone become free for a new account. The apps above accounts add their part
    through accounts/deletion.py: payments refuses (Conflict) while money is still theirs (a
    balance above zero, a payout not yet settled: nobody could withdraw or follow it afterwards)
    and removes their bank accounts; stores takes their stores offline.
    """
    if not user.check_password(password or ""):
        raise ValidationError({"password": ["Your password is not correct."]})
    old_email, old_phone = user.email, user.phone
    with transaction.atomic():
        # the user row lock is the one payout_request takes: no payout can start while we check
        User.objects.select_for_update().filter(pk=user.pk).first()
        deletion_guard(user)
        now = timezone.now()
        user.is_active = False
        user.deleted_at = now
        user.email = f"deleted-{user.pk}@invalid"
        user.phone = None
        user.full_name = "Deleted user"
        user.avatar_url = None
        user.email_verified = False
        user.phone_verified = False
        user.set_unusable_password()
        user.save()
        refresh_tokens_revoke_all(user=user)
        OtpVerification.objects.filter(email__iexact=old_email).delete()
        if old_phone:
            OtpVerification.objects.filter(phone=old_phone).delete()
        deletion_cleanup(user, now)
    access_tokens_invalidate(user=user)


# --- operations -----------------------------------------------------------------------------


def admin_create(*, email: str, password: str, full_name: str, superuser: bool = False) -> User:
    """A staff account for Django admin, verified and ready (create_admin command)."""
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(EMAIL_TAKEN, details={"email": [EMAIL_TAKEN]})
    user = User(
        email=email,
        full_name=(full_name or "").strip() or "Administrator",
        role=Role.SUPER_ADMIN if superuser else Role.ADMIN,
        email_verified=True,
    )
    _validate_new_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save(force_insert=True)
        UserSettings.objects.create(user=user)
    return user


def expired_cleanup() -> tuple[int, int]:
    """Delete expired codes and expired refresh tokens; returns how many of each.

    Revoked tokens stay until they expire: presenting one is how reuse is detected.
    """
    now = timezone.now()
    with transaction.atomic():
        otps, _ = OtpVerification.objects.filter(expires_at__lt=now).delete()
        tokens, _ = RefreshToken.objects.filter(expires_at__lt=now).delete()
    return otps, tokens


def user_set_active(*, user: User, active: bool) -> None:
    """Staff switch an account off or on; switching off ends its tokens straight away."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        if not active:
            refresh_tokens_revoke_all(user=user)
    if not active:
        access_tokens_invalidate(user=user)
