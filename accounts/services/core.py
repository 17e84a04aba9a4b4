"""What every accounts service shares: its errors, its messages, email and phone normalising."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import User, UserSettings
from config.errors import InvalidInput, ServiceError
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


def normalise_email(raw: str | None) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput({"email": ["Enter a valid email address."]}) from None
    return email


def normalise_user_phone(raw: str | None) -> str:
    """+234… or InvalidPhoneNumber naming the `phone` field, for forms and the API alike."""
    try:
        return normalise_phone(raw or "")
    except InvalidPhoneNumber as error:
        raise InvalidPhoneNumber(error.message, details={"phone": [error.message]}) from None


def user_settings_get(*, user: User) -> UserSettings:
    """Users created by another backend may have no settings row yet; it starts at the defaults."""
    user_settings, _created = UserSettings.objects.get_or_create(user=user)
    return user_settings
