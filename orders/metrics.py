"""Order counters for Prometheus (config/metrics.py serves them).

Counted when the transaction commits, so a checkout that rolls back is not an order. No store
label: one series per merchant would grow without bound.
"""

from prometheus_client import Counter

ORDERS_PLACED = Counter("agm_orders_placed", "Orders placed (storefront, API and bookings).")
ORDER_STATUS_CHANGES = Counter(
    "agm_order_status_changes", "Orders that moved to a status, by the status.", ["status"]
)


def order_placed() -> None:
    ORDERS_PLACED.inc()


def order_status_changed(status: str) -> None:
    ORDER_STATUS_CHANGES.labels(status=status).inc()
