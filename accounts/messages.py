"""Every message the accounts app sends, in one place, through notifications.notification_send.

Codes, password resets and sign-in alerts are security messages: they go whatever the
user's notification preferences say. The welcome message is an account message.
"""

from django.conf import settings
from django.utils import timezone

from accounts.models import OtpType, OtpVerification, User
from notifications.models import Category, Channel
from notifications.services import notification_send

PURPOSES = {
    OtpType.EMAIL: "Use this code to confirm your email address",
    OtpType.PHONE: "Use this code to confirm your phone number",
    OtpType.PASSWORD_RESET: "Use this code to set a new password",
    OtpType.LOGIN: "Use this code to finish signing in",
}


def send_welcome(*, user: User) -> None:
    notification_send(
        template="welcome",
        context={"name": user.get_short_name()},
        channels=(Channel.EMAIL,),
        user=user,
        category=Category.ACCOUNT,
        idempotency_key=f"welcome:{user.pk}",
        related=user,
    )


def send_otp(*, otp: OtpVerification) -> None:
    """Phone codes by SMS, every other code by email; each code is one message (keyed by its id)."""
    phone_code = otp.type == OtpType.PHONE
    notification_send(
        template="password_reset" if otp.type == OtpType.PASSWORD_RESET else "otp",
        context={
            "code": otp.code,
            "purpose": PURPOSES[otp.type],
            "expires_minutes": settings.OTP_EXPIRE_MINUTES,
            "email": otp.email,
        },
        channels=(Channel.SMS,) if phone_code else (Channel.EMAIL,),
        email=None if phone_code else otp.email,
        phone=otp.phone if phone_code else None,
        category=Category.SECURITY,
        idempotency_key=f"otp:{otp.pk}",
        related=otp,
    )


def send_login_alert(*, user: User, ip: str | None, user_agent: str) -> None:
    now = timezone.now()
    notification_send(
        template="login_alert",
        context={
            "name": user.get_short_name(),
            "ip": ip or "an unknown address",
            "device": user_agent or "an unknown device",
            "when": timezone.localtime(now),
        },
        channels=(Channel.EMAIL,),
        user=user,
        category=Category.SECURITY,
        idempotency_key=f"login-alert:{user.pk}:{now.timestamp():.6f}",
        related=user,
    )
