"""Reads of the accounts app that other apps share."""

from collections.abc import Callable
from typing import Any

from accounts.models import UserSettings


def user_preferences(user: Any) -> Callable[[str], bool]:
    """Whether each of a user's notification settings is on; a missing row means the defaults."""
    preferences = UserSettings.objects.filter(user=user).first()
    defaults = UserSettings()  # unsaved: the model's defaults, for a missing row or a NULL column

    def enabled(field: str) -> bool:
        value = getattr(preferences, field, None) if preferences is not None else None
        return bool(getattr(defaults, field) if value is None else value)

    return enabled
