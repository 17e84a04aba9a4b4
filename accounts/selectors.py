"""Reads of the accounts app that other apps share."""

from collections.abc import Callable

from accounts.models import UserSettings


def user_preferences(user) -> Callable[[str], bool]:
    """Whether each of a user's notification settings is on; a missing row means the defaults."""
    preferences = UserSettings.objects.filter(user=user).first()

    def enabled(field: str) -> bool:
        value = getattr(preferences, field, None) if preferences is not None else None
        if value is None:
            return bool(UserSettings._meta.get_field(field).default)
        return bool(value)

    return enabled
