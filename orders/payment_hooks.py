"""The one door from orders to the payments app, which sits above it (ARCHITECTURE.md, "Layers").

A payment belongs to an order, so payments imports orders; orders must still open a payment
when an order is placed and lock, refund and close payments when one is cancelled. Rather than
import payments (a cycle), orders declares here what it needs, and payments hands over its
implementation once, from `PaymentsConfig.ready()`. Nothing else registers, and there is no
fallback: with payments missing, placing a paid order fails loudly.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class OrderPayments:
    # The order's pending payment row (inside the caller's transaction; idempotent).
    open: Callable[..., Any]
    # Lock the order's payments before the order itself (payment → order is the lock order).
    lock: Callable[..., None]
    # Start a Monnify refund of one paid payment (inside the caller's transaction).
    refund: Callable[..., Any]
    # Close the order's pending payments; the number closed.
    close_open: Callable[..., int]


_registered: OrderPayments | None = None


def register(payments: OrderPayments) -> None:
    global _registered  # set once at start-up, from PaymentsConfig.ready()
    _registered = payments


def order_payments() -> OrderPayments:
    if _registered is None:
        raise ImproperlyConfigured("orders needs the payments app: add it to INSTALLED_APPS.")
    return _registered
