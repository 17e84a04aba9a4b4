"""Every message the accounts app sends, in one place: welcome, codes, sign-in alerts.

Security messages (codes, password reset, sign-in alerts) go whatever the user's
notification preferences say; the welcome message is an account message.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from accounts.models import OtpType, OtpVerification, User

logger = logging.getLogger(__name__)

PURPOSES = {
    OtpType.EMAIL: "confirm your email address",
    OtpType.PHONE: "confirm your phone number",
    OtpType.PASSWORD_RESET: "reset your password",
    OtpType.LOGIN: "sign in",
}


def send_welcome(*, user: User) -> None:
    _email(
        to=user.email,
        subject=f"Welcome to {settings.SITE_NAME}",
        body=f"Hello {user.get_short_name()},\n\nYour {settings.SITE_NAME} account is ready.",
    )


def send_otp(*, otp: OtpVerification) -> None:
    minutes = settings.OTP_EXPIRE_MINUTES
    text = (
        f"{otp.code} is your {settings.SITE_NAME} code to {PURPOSES[otp.type]}. "
        f"It expires in {minutes} minutes."
    )
    if otp.type == OtpType.PHONE:
        _sms(to=otp.phone, text=text)
    else:
        _email(to=otp.email, subject=f"Your {settings.SITE_NAME} code: {otp.code}", body=text)


def send_login_alert(*, user: User, ip: str | None, user_agent: str) -> None:
    _email(
        to=user.email,
        subject=f"New sign-in to your {settings.SITE_NAME} account",
        body=(
            f"Someone signed in to your account from {ip or 'an unknown address'} "
            f"({user_agent or 'unknown device'})."
        ),
    )


def _email(*, to: str, subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def _sms(*, to: str, text: str) -> None:
    transaction.on_commit(lambda: logger.info("SMS to %s: %s", to, text))
