"""The signed links a recovery message carries: rebuild the cart, and stop these messages.

Both work without signing in, so the token is the only key: it names one RecoveryMessage
(and, for opting out, the channel whose address stops) and is signed with SECRET_KEY under
its own salt, so a link of one kind cannot be replayed as the other and a guessed id is
refused. The tokens are short on purpose: they go into SMS, where every character counts.
"""

from django.core import signing
from django.urls import reverse

from config.site_url import site_url

RESTORE_SALT = "orders.recovery.restore"
OPT_OUT_SALT = "orders.recovery.opt-out"
CHANNEL_CODES = {"email": "e", "sms": "s"}


def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt)


def restore_token(message_id: int) -> str:
    return _signer(RESTORE_SALT).sign(str(message_id))


def opt_out_token(message_id: int, channel: str) -> str:
    return _signer(OPT_OUT_SALT).sign(f"{message_id}.{CHANNEL_CODES[channel]}")


def restore_message_id(token: str) -> int | None:
    try:
        value = _signer(RESTORE_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def opt_out_target(token: str) -> tuple[int, str] | None:
    """(message id, channel) of a valid opt-out token, else None."""
    try:
        value = _signer(OPT_OUT_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    message_id, _dot, code = value.partition(".")
    channels = {code_: channel for channel, code_ in CHANNEL_CODES.items()}
    if not message_id.isdigit() or code not in channels:
        return None
    return int(message_id), channels[code]


def restore_url(*, username: str, message_id: int) -> str:
    path = reverse(
        "storefront:orders_storefront:cart-restore",
        kwargs={"username": username, "token": restore_token(message_id)},
    )
    return f"{site_url()}{path}"


def opt_out_url(*, username: str, message_id: int, channel: str) -> str:
    path = reverse(
        "storefront:orders_storefront:recovery-opt-out",
        kwargs={"username": username, "token": opt_out_token(message_id, channel)},
    )
    return f"{site_url()}{path}"
