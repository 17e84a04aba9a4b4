"""Every write of the accounts app, one module per sub-domain:

- `core`: the shared errors and messages, email and phone normalising, the settings row;
- `codes`: one-time codes by email and SMS;
- `access`: sign-up, sign-in (two-factor included) and passwords;
- `profile`: profile, picture, settings, deletion, and staff operations.

Callers import from `accounts.services`; the names below are its public surface.
"""

from accounts.services.access import (
    login_needs_otp,
    login_otp_issue,
    login_otp_verify,
    password_change,
    password_forgot,
    password_reset,
    user_authenticate,
    user_login_record,
    user_register,
)
from accounts.services.codes import otp_issue, otp_resend, otp_verify
from accounts.services.core import (
    ACCOUNT_DISABLED,
    EMAIL_TAKEN,
    FORGOT_ANSWER,
    PHONE_TAKEN,
    SETTINGS_FIELDS,
    WRONG_LOGIN,
    InvalidCredentials,
    InvalidOtp,
    normalise_email,
    normalise_user_phone,
    user_settings_get,
)
from accounts.services.profile import (
    admin_create,
    expired_cleanup,
    user_avatar_set,
    user_delete,
    user_profile_update,
    user_set_active,
    user_settings_update,
)

__all__ = [
    "ACCOUNT_DISABLED",
    "EMAIL_TAKEN",
    "FORGOT_ANSWER",
    "PHONE_TAKEN",
    "SETTINGS_FIELDS",
    "WRONG_LOGIN",
    "InvalidCredentials",
    "InvalidOtp",
    "admin_create",
    "expired_cleanup",
    "login_needs_otp",
    "login_otp_issue",
    "login_otp_verify",
    "normalise_email",
    "normalise_user_phone",
    "otp_issue",
    "otp_resend",
    "otp_verify",
    "password_change",
    "password_forgot",
    "password_reset",
    "user_authenticate",
    "user_avatar_set",
    "user_delete",
    "user_login_record",
    "user_profile_update",
    "user_register",
    "user_set_active",
    "user_settings_get",
    "user_settings_update",
]
