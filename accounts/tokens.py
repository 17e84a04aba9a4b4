"""API tokens: short-lived JWT access tokens and opaque, rotating refresh tokens.

A refresh token is a random string the client keeps; we store only its SHA-256, so a
leaked database does not leak live tokens. Each refresh revokes the presented token and
issues a new one. A revoked token presented again means it was copied: every refresh
token of that user is revoked (reuse detection) and the user signs in again.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import RefreshToken, User
from config.errors import ServiceError


class InvalidToken(ServiceError):
    code = "token_invalid"
    http_status = 401


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def access_token_for(*, user: User) -> str:
    token = AccessToken.for_user(user)
    token["role"] = user.role
    # "iat" has whole seconds; a password change and the new token can share that second.
    token["iat_ms"] = int(time.time() * 1000)
    return str(token)


def token_pair_issue(*, user: User) -> TokenPair:
    raw = secrets.token_urlsafe(48)
    RefreshToken.objects.create(
        user=user,
        token_hash=_hash(raw),
        expires_at=timezone.now() + settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"],
    )
    return TokenPair(access=access_token_for(user=user), refresh=raw)


def refresh_token_rotate(*, raw: str) -> tuple[User, TokenPair]:
    reused = False
    with transaction.atomic():
        token = (
            RefreshToken.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_hash(raw or ""))
            .first()
        )
        if token is None:
            raise InvalidToken("This refresh token is not valid. Sign in again.")
        user = token.user
        if token.revoked:
            reused = True
            refresh_tokens_revoke_all(user=user)
        elif token.expires_at <= timezone.now():
            raise InvalidToken("This refresh token has expired. Sign in again.")
        elif not user.is_active or user.is_deleted:
            raise InvalidToken("This account is disabled.")
        else:
            _revoke(token)
            pair = token_pair_issue(user=user)
    if reused:
        raise InvalidToken(
            "This refresh token was already used. For your safety every session has been signed out; "
            "sign in again.",
            code="token_reused",
        )
    return user, pair


def refresh_token_revoke(*, raw: str) -> None:
    """Logout: revoke the presented token. An unknown or already revoked token is not an error."""
    with transaction.atomic():
        token = RefreshToken.objects.select_for_update().filter(token_hash=_hash(raw or "")).first()
        if token is not None and not token.revoked:
            _revoke(token)


def refresh_tokens_revoke_all(*, user: User) -> int:
    return RefreshToken.objects.filter(user=user, revoked=False).update(
        revoked=True, revoked_at=timezone.now()
    )


def access_tokens_invalidate(*, user: User) -> None:
    """Access tokens issued until now stop working (password change, reset, account deletion).

    They are stateless and live minutes, so a per-user "not before" time in the cache for
    that long is enough; accounts.authentication checks it.
    """
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()
    cache.set(_not_before_key(user.pk), int(time.time() * 1000), timeout=int(lifetime) + 60)


def access_token_is_current(*, user_id: str, claims) -> bool:
    not_before = cache.get(_not_before_key(user_id))
    if not_before is None:
        return True
    issued_ms = claims.get("iat_ms") or claims.get("iat", 0) * 1000
    return issued_ms >= not_before


def _not_before_key(user_id) -> str:
    return f"accounts:access-not-before:{user_id}"


def _revoke(token: RefreshToken) -> None:
    token.revoked = True
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked", "revoked_at"])
