"""What a person agreed to receive, as notifications asks it: accounts (above it) answers.

The preferences live in accounts (`UserSettings`), and notifications sits below accounts
(ARCHITECTURE.md, "Layers"), so accounts registers its reader once, from
`AccountsConfig.ready()`. The reader takes a user and gives a function from a setting's name
(`email_notifications`, `order_updates`, …) to whether it is on.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Reader = Callable[[Any], Callable[[str], bool]]

_reader: Reader | None = None


def register(reader: Reader) -> None:
    global _reader  # set once at start-up, from AccountsConfig.ready()
    _reader = reader


def preferences_of(user: Any) -> Callable[[str], bool]:
    if _reader is None:
        raise ImproperlyConfigured("notifications needs the accounts app: add it to INSTALLED_APPS.")
    return _reader(user)
