from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Email and password; inactive and soft-deleted users are refused.

    Permissions come from User.has_perm (by role), not from Django's permission tables.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        identity = (email or username or "").strip().lower()
        return super().authenticate(request, username=identity, password=password, **kwargs)

    def user_can_authenticate(self, user):
        return bool(user.is_active) and user.deleted_at is None
