"""One-time codes by email and SMS: issuing (with cool-downs and hourly caps), resending, checking."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts import messages
from accounts.models import (
    OtpType,
    OtpVerification,
    User,
)
from accounts.services.core import (
    InvalidOtp,
    normalise_email,
    normalise_user_phone,
)
from accounts.throttles import HOUR, auth_throttle, cooldown_check, cooldown_start, throttle_hit


def _otp_field(otp_type: str) -> str:
    return "phone" if otp_type == OtpType.PHONE else "email"


def _attempts_key(otp: OtpVerification) -> str:
    return f"accounts:otp-attempts:{otp.pk}"


def otp_send_guard(*, otp_type: str, identity: str, ip: str | None) -> None:
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


def otp_create(*, otp_type: str, identity: str) -> OtpVerification:
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
    if identity is None:
        # Every caller passes the address the code goes to; without one the cool-down key could
        # not be built (it hashes the identity), so say which argument is missing.
        raise TypeError(f"otp_issue({otp_type}) needs the {_otp_field(otp_type)} to send the code to")
    otp_send_guard(otp_type=otp_type, identity=identity, ip=ip)
    return otp_create(otp_type=otp_type, identity=identity)


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
    otp_send_guard(otp_type=otp_type, identity=identity, ip=ip)
    if waiting:
        otp_create(otp_type=otp_type, identity=identity)


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
