from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts.tokens import access_token_not_before


class ActiveUserJWTAuthentication(JWTAuthentication):
    """Bearer tokens of deactivated or soft-deleted users, or issued before a password
    change, are refused even though their signature is still valid."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if not user.is_active or user.is_deleted:
            raise AuthenticationFailed("This account is disabled.", code="user_inactive")
        not_before = access_token_not_before(user_id=user.pk)
        if not_before is not None and validated_token.get("iat", 0) < not_before:
            raise AuthenticationFailed(
                "This token is no longer valid. Sign in again.", code="token_not_valid"
            )
        return user
