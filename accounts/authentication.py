from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts.tokens import access_token_is_current


class ActiveUserJWTAuthentication(JWTAuthentication):
    """Bearer tokens of deactivated or soft-deleted users, or issued before a password
    change, are refused even though their signature is still valid."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if not user.is_active or user.is_deleted:
            raise AuthenticationFailed("This account is disabled.", code="user_inactive")
        if not access_token_is_current(user_id=user.pk, claims=validated_token):
            raise AuthenticationFailed(
                "This token is no longer valid. Sign in again.", code="token_not_valid"
            )
        return user


class ActiveUserJWTScheme(SimpleJWTScheme):
    """The OpenAPI security scheme (Bearer JWT) for the class above."""

    target_class = "accounts.authentication.ActiveUserJWTAuthentication"
