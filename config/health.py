"""What `/api/v1/health` checks: the parts the platform owns, plus checks apps register.

Only the database is critical: without it nothing can be served, so the answer is 503 and a
load balancer takes the process out. Every other part degrades instead of failing (README,
"Operations and failure modes"): the answer stays 200, says "Degraded", and names each part,
so an uptime monitor can alert on it while shoppers keep being served.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from config.cache import cache_check


@dataclass(frozen=True)
class HealthCheck:
    name: str
    # Returns a short state ("ok", "eager", "simulator") or raises when the part is down.
    check: Callable[[], str | None]
    critical: bool = False


def check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    return "ok"


_checks: list[HealthCheck] = [
    HealthCheck("database", check_database, critical=True),
    HealthCheck("cache", cache_check),
    HealthCheck("broker", check_broker),
]


def register(check: HealthCheck) -> None:
    """For a higher app's `ready()` (payments registers Monnify's reachability)."""
    if all(existing.name != check.name for existing in _checks):
        _checks.append(check)


def health_checks() -> list[HealthCheck]:
    return list(_checks)
