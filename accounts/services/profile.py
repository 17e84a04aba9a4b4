"""A person's profile, picture, settings and account deletion; staff operations on accounts."""

import uuid
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

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
from accounts.services.access import _validate_new_password
from accounts.services.codes import otp_create, otp_send_guard
from accounts.services.core import (
    AVATAR_FORMATS,
    EMAIL_TAKEN,
    PHONE_TAKEN,
    SETTINGS_FIELDS,
    normalise_email,
    normalise_user_phone,
    user_settings_get,
)
from accounts.tokens import access_tokens_invalidate, refresh_tokens_revoke_all
from config.errors import Conflict, InvalidInput


def user_profile_update(
    *, user: User, full_name: str | None = None, phone: str | None = None, ip: str | None = None
) -> User:
    """Name and phone; a new phone number is unverified until its code is entered."""
    fields = []
    if full_name is not None:
        full_name = full_name.strip()
        if not full_name:
            raise InvalidInput({"full_name": ["Enter your full name."]})
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
        otp_send_guard(otp_type=OtpType.PHONE, identity=new_phone, ip=ip)
        user.phone = new_phone
        user.phone_verified = False
        fields += ["phone", "phone_verified"]
    if not fields:
        return user
    try:
        with transaction.atomic():
            user.save(update_fields=[*fields, "updated_at"])
            if new_phone:
                otp_create(otp_type=OtpType.PHONE, identity=new_phone)
    except IntegrityError:
        raise Conflict(PHONE_TAKEN, details={"phone": [PHONE_TAKEN]}) from None
    return user


def user_avatar_set(*, user: User, upload: "UploadedFile[bytes]") -> User:
    """A profile picture: a real image (checked by decoding it), at most AVATAR_MAX_BYTES."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        limit = settings.AVATAR_MAX_BYTES // (1024 * 1024)
        raise InvalidInput({"avatar": [f"The picture is too large: at most {limit} MB."]})
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidInput({"avatar": ["Upload a JPEG, PNG, WebP or GIF picture."]}) from None
    if image_format not in AVATAR_FORMATS:
        raise InvalidInput({"avatar": ["Upload a JPEG, PNG, WebP or GIF picture."]})
    upload.seek(0)
    name = default_storage.save(
        f"avatars/{user.pk}/{uuid.uuid4().hex}.{AVATAR_FORMATS[image_format]}", upload
    )
    with transaction.atomic():
        user.avatar_url = default_storage.url(name)
        user.save(update_fields=["avatar_url", "updated_at"])
    return user


def user_settings_update(*, user: User, **changes: Any) -> UserSettings:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise InvalidInput({field: ["Not a setting."] for field in sorted(unknown)})
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
        raise InvalidInput(errors)
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
        raise InvalidInput({"password": ["Your password is not correct."]})
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
