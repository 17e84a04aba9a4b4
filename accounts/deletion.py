"""What the apps above accounts check and do when a person deletes their account.

`user_delete` (accounts/services.py) cannot import payments or stores: they sit above accounts
(ARCHITECTURE.md, "Layers"). Each of them registers its part once, from its AppConfig.ready():

- a guard, called inside the deletion's transaction after the user row is locked, that raises a
  `ServiceError` (Conflict) while deleting must wait (payments: a balance, a payout on its way);
- a cleanup, called in the same transaction once the user row is cleared (payments: bank
  accounts; stores: the stores go offline).

Registration order is app order; nothing runs for an app that is not installed.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

Guard = Callable[[Any], None]
Cleanup = Callable[[Any, datetime], None]

_guards: list[Guard] = []
_cleanups: list[Cleanup] = []


def register(*, guard: Guard | None = None, cleanup: Cleanup | None = None) -> None:
    if guard is not None and guard not in _guards:
        _guards.append(guard)
    if cleanup is not None and cleanup not in _cleanups:
        _cleanups.append(cleanup)


def deletion_guard(user: Any) -> None:
    for guard in _guards:
        guard(user)


def deletion_cleanup(user: Any, now: datetime) -> None:
    for cleanup in _cleanups:
        cleanup(user, now)
