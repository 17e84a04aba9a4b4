"""Celery tasks of the orders app: thin, safe to run twice (each send is keyed, see
orders/services/recovery.py), so a relay or a retry may run them again."""

import logging
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.utils import timezone

from orders import selectors, services
from orders.models import RecoveryMessage

logger = logging.getLogger(__name__)


@shared_task
def customers_catch_up():
    """Refresh the customers whose orders changed since the last run (beat, every minute):
    orders the other backends wrote, and any refresh of ours lost to a crash after commit."""
    count = services.customers_catch_up()
    logger.info("orders: customer catch-up refreshed %s customers", count)


@shared_task
def orders_export_build(user_id: str, query: dict):
    """Write a large orders CSV to storage and tell the merchant in the bell (with the link)."""
    services.order_export_build(user_id=user_id, query=query)


@shared_task
def recovery_run() -> int:
    """Beat: send every recovery message now due; one bad order never stops the others."""
    now = timezone.now()
    jobs: list[tuple[Callable[..., RecoveryMessage | None], dict[str, Any]]] = [
        *[
            (services.recovery_send_unpaid, {"order_id": pk, "sequence": n})
            for pk, n in selectors.recovery_unpaid_due(now=now)
        ],
        *[
            (services.recovery_send_expired, {"order_id": pk})
            for pk in selectors.recovery_expired_due(now=now)
        ],
        *[
            (services.recovery_send_abandoned, {"checkout_id": pk, "sequence": n})
            for pk, n in selectors.recovery_abandoned_due(now=now)
        ],
    ]
    sent = 0
    for send, arguments in jobs:
        try:
            sent += send(**arguments) is not None
        except Exception:
            logger.exception("orders: recovery %s(%s) raised", send.__name__, arguments)
    return sent
