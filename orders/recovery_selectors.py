"""Reads for recovering unpaid orders and abandoned checkouts (orders/services/recovery.py
writes). Moved out of orders/selectors.py, which re-exports them."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum

from catalog.models import Product
from config.errors import NotFound
from orders import pricing, recovery_links
from orders.models import (
    AbandonedCheckout,
    Order,
    OrderStatus,
    PaymentStatus,
    RecoveryKind,
    RecoveryMessage,
    RecoverySettings,
)
from stores.models import Store

# --- Recovery (orders/services/recovery.py writes) ----------------------------------------------

# A cart line as a checkout keeps it in JSON: product_id, quantity and variant_selection; the
# restorable ones add name, unit_price and subtotal. Dicts, because they go in and out of JSON.
Line = dict[str, Any]


class RecoverySummary(TypedDict):
    messages_sent: int
    messages_by_kind: dict[str, int]
    orders_recovered: int
    revenue_recovered: Decimal


def recovery_settings_for(store: Store) -> RecoverySettings:
    return RecoverySettings.objects.filter(store=store).first() or RecoverySettings(store=store)


def restorable_lines(*, store: Store, lines: list[Line]) -> list[Line]:
    """The cart lines whose product this store still sells and has in stock, priced as today."""
    products = Product.objects.live().filter(store=store).in_bulk([line["product_id"] for line in lines])
    available = []
    for line in lines:
        product = products.get(line["product_id"])
        if product is None or (product.stock_quantity is not None and product.stock_quantity < 1):
            continue
        quantity = line["quantity"]
        if product.stock_quantity is not None:
            quantity = min(quantity, product.stock_quantity)
        available.append(
            {
                "product_id": product.pk,
                "name": product.name,
                "quantity": quantity,
                "variant_selection": line.get("variant_selection") or None,
                "unit_price": product.price,
                "subtotal": pricing.lines_subtotal([(product.price, quantity)]),
            }
        )
    return available


def recovery_restore_message(*, store: Store, token: str) -> RecoveryMessage:
    """The message a "rebuild my cart" link came in, for this store; NotFound if forged."""
    message_id = recovery_links.restore_message_id(token)
    message = (
        RecoveryMessage.objects.select_related("order", "checkout").filter(pk=message_id, store=store).first()
        if message_id is not None
        else None
    )
    if message is None:
        raise NotFound("This link is not valid for this store.")
    return message


def recovery_message_lines(message: RecoveryMessage) -> list[Line]:
    if message.checkout is not None:
        return list(message.checkout.lines or [])
    assert message.order is not None  # a message is about a checkout or about an order
    return [
        {
            "product_id": item.product_id,
            "quantity": item.quantity,
            "variant_selection": item.variant_selection,
        }
        for item in message.order.order_items.all()
    ]


def recovery_opt_out_target(*, token: str) -> tuple[RecoveryMessage, str]:
    """The message an unsubscribe link came in and the address it stops; NotFound if forged."""
    target = recovery_links.opt_out_target(token)
    if target is None:
        raise NotFound("This unsubscribe link is not valid.")
    message_id, channel = target
    message = RecoveryMessage.objects.select_related("store").filter(pk=message_id).first()
    address = (message.email if channel == "email" else message.phone) if message else ""
    if message is None or not address:
        raise NotFound("This unsubscribe link is not valid.")
    return message, address


RECOVERY_LOOKBACK = timedelta(hours=3)
RECOVERY_BATCH = 500


def recovery_unpaid_due(*, now: datetime) -> list[tuple[str, int]]:
    """(order id, reminder number) of unpaid orders whose next reminder is due."""
    orders = list(
        Order.objects.filter(
            status=OrderStatus.PENDING,
            payment_status=PaymentStatus.PENDING,
            deleted_at__isnull=True,
            total__gt=0,
            created_at__gte=now - RECOVERY_LOOKBACK,
        )
        .order_by("created_at")
        .values_list("pk", "store_id", "created_at")[:RECOVERY_BATCH]
    )
    settings = _settings_by_store({store_id for _pk, store_id, _at in orders})
    sent = _sent_counts(RecoveryKind.UNPAID, "order_id", [pk for pk, _store, _at in orders])
    due = []
    for pk, store_id, created_at in orders:
        rules = settings.get(store_id) or RecoverySettings()
        if not rules.unpaid_reminders:
            continue
        reached = int((now - created_at) / timedelta(minutes=rules.unpaid_delay_minutes))  # type: ignore[operator]  # the created_at__gte filter excludes NULL
        done = sent.get(pk, 0)
        if done < min(reached, rules.unpaid_reminders):
            due.append((pk, done + 1))
    return due


def recovery_expired_due(*, now: datetime) -> list[str]:
    """Expired orders of the last day not yet told their items are still available."""
    told = RecoveryMessage.objects.filter(kind=RecoveryKind.EXPIRED, order_id=OuterRef("pk"))
    return list(
        Order.objects.filter(
            status=OrderStatus.CANCELLED,
            payment_status=PaymentStatus.EXPIRED,
            deleted_at__isnull=True,
            updated_at__gte=now - timedelta(hours=24),
        )
        .exclude(Exists(told))
        .order_by("updated_at")
        .values_list("pk", flat=True)[:RECOVERY_BATCH]
    )


def recovery_abandoned_due(*, now: datetime) -> list[tuple[int, int]]:
    """(checkout id, reminder number) of consented checkouts whose next reminder is due."""
    checkouts = list(
        AbandonedCheckout.objects.filter(order__isnull=True, updated_at__gte=now - timedelta(days=3))
        .order_by("updated_at")
        .values_list("pk", "store_id", "updated_at")[:RECOVERY_BATCH]
    )
    settings = _settings_by_store({store_id for _pk, store_id, _at in checkouts})
    sent = _sent_counts(RecoveryKind.ABANDONED, "checkout_id", [pk for pk, _store, _at in checkouts])
    due = []
    for pk, store_id, updated_at in checkouts:
        rules = settings.get(store_id)
        if rules is None or not rules.abandoned_checkouts or not rules.abandoned_reminders:
            continue
        reached = int((now - updated_at) / timedelta(minutes=rules.abandoned_delay_minutes))
        done = sent.get(pk, 0)
        if done < min(reached, rules.abandoned_reminders):
            due.append((pk, done + 1))
    return due


def _settings_by_store(store_ids: Iterable[str]) -> dict[str, RecoverySettings]:
    return {rules.store_id: rules for rules in RecoverySettings.objects.filter(store_id__in=store_ids)}


def _sent_counts(kind: str, field: str, ids: list[str] | list[int]) -> dict[str | int, int]:
    rows = (
        RecoveryMessage.objects.filter(kind=kind, **{f"{field}__in": ids})
        .values(field)
        .annotate(count=Count("id"))
    )
    return {row[field]: row["count"] for row in rows}


def recovery_summary(*, store_ids: Iterable[str | UUID], since: datetime, until: datetime) -> RecoverySummary:
    """What recovery did for these stores in [since, until): messages sent (those every address
    had opted out of are not counted), and the orders they won back (paid in the window) with
    their revenue. An order answering several messages counts once."""
    store_ids = [str(store_id) for store_id in store_ids]
    messages = RecoveryMessage.objects.filter(
        store_id__in=store_ids, created_at__gte=since, created_at__lt=until
    )
    sent = messages.exclude(email="", phone="")
    by_kind = {kind: 0 for kind in RecoveryKind.values}
    for row in sent.values("kind").annotate(count=Count("id")):
        by_kind[row["kind"]] = row["count"]
    orders, revenue = recovered_totals(store_ids=store_ids, since=since, until=until)
    return {
        "messages_sent": sum(by_kind.values()),
        "messages_by_kind": by_kind,
        "orders_recovered": orders,
        "revenue_recovered": revenue,
    }


def recovered_totals(
    *, store_ids: Iterable[str | UUID], since: datetime, until: datetime
) -> tuple[int, Decimal]:
    """The orders recovery messages won back, paid in [since, until), and their revenue: one
    query (the dashboard home shows it). An order answering several messages counts once."""
    recovered_ids = RecoveryMessage.objects.filter(
        store_id__in=[str(store_id) for store_id in store_ids],
        recovered_at__gte=since,
        recovered_at__lt=until,
        recovered_order__isnull=False,
    ).values("recovered_order_id")
    totals = Order.objects.filter(pk__in=recovered_ids, payment_status=PaymentStatus.PAID).aggregate(
        count=Count("id"), revenue=Sum("total", default=Decimal("0.00"))
    )
    return totals["count"], totals["revenue"]


def recovery_messages_for_owner(
    *, user: Any, store_id: str | UUID | None = None
) -> QuerySet[RecoveryMessage]:
    messages = RecoveryMessage.objects.filter(
        store__user=user, store__deleted_at__isnull=True
    ).select_related("store", "order", "recovered_order")
    if store_id:
        messages = messages.filter(store_id=str(store_id))
    return messages.order_by("-created_at", "-id")
