"""Celery tasks of the orders app: thin, safe to run twice."""

import logging

from celery import shared_task

from orders import services

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
