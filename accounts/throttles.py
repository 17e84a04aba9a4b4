"""Attempt limits for sign-in, sign-up, codes and password resets, counted in the cache (Redis).

Fixed windows: a counter per (scope, who, window) that expires with its window, so a
burst is refused until the window turns over and the answer can say exactly when.
Identities (emails, phone numbers) are hashed into the key so that no address sits in
Redis in clear and every key is a safe cache key.

With Redis unreachable a count cannot be kept, and each limit decides (README, "Operations and
failure modes"): sign-in, sign-up, one-time codes and password resets and changes fail closed, with a
503 that says to try again in a minute, because an uncounted limit there is an open door for
guessing passwords and codes or flooding phones with SMS; every other limit fails open.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from config.cache import CacheUnavailable
from config.errors import RateLimited, TemporarilyUnavailable

MINUTE = 60
HOUR = 3600


def _digest(who: str) -> str:
    return hashlib.sha256(who.strip().lower().encode("utf-8")).hexdigest()[:32]


def _key(scope: str, who: str, window: int, bucket: int) -> str:
    return f"throttle:{scope}:{window}:{_digest(who)}:{bucket}"


UNAVAILABLE_MESSAGE = "We cannot check this safely right now. Please try again in a minute."


def throttle_hit(
    *, scope: str, who: str | None, limit: int, window: int = MINUTE, fail_closed: bool = False
) -> None:
    """Count one attempt by `who` in `scope`; raise RateLimited past `limit` per `window` seconds.

    Without the cache the attempt is refused (TemporarilyUnavailable) when `fail_closed`, and
    let through uncounted otherwise.
    """
    if not who:
        return
    now = time.time()
    bucket = int(now // window)
    key = _key(scope, who, window, bucket)
    # add() is atomic in Redis (SET NX): the first attempt of a window creates the counter.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except (CacheUnavailable, ValueError):
        # ValueError: the add above was skipped, so Redis is down (or the key expired between
        # the two calls, a one-request gap that counts as "not counted").
        if fail_closed:
            raise TemporarilyUnavailable(UNAVAILABLE_MESSAGE, retry_after=MINUTE) from None
        return
    if count > limit:
        retry_after = max(1, int((bucket + 1) * window - now) + 1)
        raise RateLimited(
            f"Too many attempts. Try again in {_wait_text(retry_after)}.",
            retry_after=retry_after,
            details={"retry_after": retry_after},
        )


def cooldown_check(*, scope: str, who: str, message: str) -> None:
    """Refuse while a cool-down of `who` in `scope` runs; `message` may contain {seconds}."""
    now = time.time()
    until = cache.get(_cooldown_key(scope, who))
    if until and until > now:
        wait = math.ceil(until - now)
        raise RateLimited(message.format(seconds=wait), retry_after=wait, details={"retry_after": wait})


def cooldown_start(*, scope: str, who: str, seconds: int) -> None:
    if seconds > 0:
        cache.set(_cooldown_key(scope, who), time.time() + seconds, timeout=seconds)


def _cooldown_key(scope: str, who: str) -> str:
    return f"cooldown:{scope}:{_digest(who)}"


# The scopes that refuse attempts while Redis is down; see the module's docstring.
FAIL_CLOSED_SCOPES = frozenset(
    {"login", "register", "otp-verify", "otp-send", "password-reset", "password-change"}
)


def auth_throttle(*, scope: str, identity: str | None, ip: str | None) -> None:
    """The per-identity and per-IP limits shared by login, sign-up, code checks and resets."""
    closed = scope in FAIL_CLOSED_SCOPES
    throttle_hit(
        scope=f"{scope}:ip", who=ip, limit=settings.AUTH_IP_RATE_LIMIT_PER_MINUTE, fail_closed=closed
    )
    throttle_hit(
        scope=f"{scope}:id", who=identity, limit=settings.AUTH_RATE_LIMIT_PER_MINUTE, fail_closed=closed
    )


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"
