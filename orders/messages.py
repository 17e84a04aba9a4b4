"""Every message the orders app sends, through notifications.notification_send.

The shopper gets an order confirmation (email if they gave one, and SMS) and an update when
the order is confirmed, shipped, delivered or cancelled; the merchant gets a new-order email
(their preferences apply) and an entry in the dashboard bell. orders.services calls these
with transaction.on_commit, so nothing goes out for an order that rolled back, and each
message carries an idempotency key, so a repeated call sends nothing twice.
"""

import unicodedata

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from config.money import naira, naira_sms
from config.site_url import site_url
from notifications.alerts import alert_bell, alert_delivery_channels
from notifications.models import AlertKind, Category, Channel
from notifications.rendering import GSM7_BASIC, GSM7_EXTENDED
from notifications.services import notification_send
from orders import pricing
from orders.appointments import appointment_for_order
from orders.models import Order, OrderPaymentPlan, OrderStatus, PaymentStatus
from orders.pricing import DeliveryMethod
from stores.models import Store

STATUSES_TOLD_TO_SHOPPER = (
    OrderStatus.CONFIRMED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
)
# Short enough that the longest SMS (this, an order number, a total in the billions and a
# track link on a SITE_URL of up to 50 characters) stays within one 160-character segment.
SMS_STORE_NAME_LENGTH = 20
# Curly quotes and dashes, as phones type them, and the naira sign: their GSM-7 look-alikes.
SMS_REPLACEMENTS = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u20a6": "N"}
)


def send_order_placed(*, order_id: str) -> None:
    """The shopper's confirmation and the merchant's new-order alert for a placed order."""
    order = Order.objects.select_related("store__user").filter(pk=order_id).first()
    if order is None:
        return
    store, merchant = order.store, order.store.user
    context = _order_context(order)
    shopper_key = f"order-placed:{order.pk}:shopper"
    with transaction.atomic():
        notification_send(
            template="order_confirmation",
            context=context,
            channels=(Channel.EMAIL,),
            email=order.customer_email or None,
            category=Category.ORDER,
            idempotency_key=shopper_key,
            related=order,
        )
        notification_send(
            template="order_confirmed",
            context=context,
            channels=(Channel.SMS,),
            phone=order.customer_phone,
            category=Category.ORDER,
            idempotency_key=shopper_key,
            related=order,
        )
        dashboard_link = reverse("dashboard:orders_dashboard:detail", kwargs={"order_id": order.pk})
        notification_send(
            template="new_order",
            context={
                **context,
                "dashboard_url": f"{site_url()}{dashboard_link}",
                "agm_fee": naira(order.agm_fee),
                "merchant_net": naira(order.total - (order.agm_fee or 0)),
            },
            channels=alert_delivery_channels(merchant, AlertKind.NEW_ORDER),
            user=merchant,
            category=Category.ORDER,
            idempotency_key=f"order-placed:{order.pk}:merchant",
            related=order,
        )
        count = sum(item["quantity"] for item in context["items"])
        alert_bell(
            user=merchant,
            kind=AlertKind.NEW_ORDER,
            title=f"New order {order.order_number}",
            body=f"{order.customer_name} ordered {count} item{'s' if count != 1 else ''} "
            f"for {context['total']} from {store.display_name}.",
            link=dashboard_link,
            idempotency_key=f"order-placed:{order.pk}",
        )


def send_stock_alerts(*, store_id: str, crossings: list[tuple[str, str, int]]) -> None:
    """The merchant's low-stock and sold-out alerts; `crossings` is (product id, kind, stock left)
    for each product whose stock crossed its threshold in one committed change."""
    store = Store.objects.select_related("user").filter(pk=store_id).first()
    if store is None:
        return
    merchant = store.user
    names = dict(
        Product.objects.filter(pk__in=[pk for pk, _kind, _left in crossings]).values_list("pk", "name")
    )
    for product_id, kind, left in crossings:
        name = names.get(product_id, "A product")
        link = reverse("dashboard:catalog_dashboard:edit", kwargs={"product_id": product_id})
        title = (
            f"{name} is sold out" if kind == AlertKind.SOLD_OUT else f"{name} is low on stock: {left} left"
        )
        # One alert per crossing: the key names the stock level reached, and the level can only
        # be reached again after a restock.
        key = f"stock:{kind}:{product_id}:{timezone.now():%Y%m%d%H%M%S%f}"
        with transaction.atomic():
            notification_send(
                template="stock_alert",
                context={
                    "store": store,
                    "name": merchant.get_short_name(),
                    "product_name": name,
                    "sms_product_name": gsm7(name, max_length=40),
                    "sold_out": kind == AlertKind.SOLD_OUT,
                    "left": left,
                    "product_url": f"{site_url()}{link}",
                },
                channels=alert_delivery_channels(merchant, kind),
                user=merchant,
                category=Category.ORDER,
                idempotency_key=key,
                related=("catalog.product", product_id),
            )
            alert_bell(
                user=merchant,
                kind=kind,
                title=title,
                body=f"{store.display_name}: restock {name} or mark it unavailable.",
                link=f"{link}?alert={key}",
                idempotency_key=key,
            )


def send_order_status(*, order_id: str, status: str, note: str = "") -> None:
    """Tell the shopper their order moved to `status` (one message per status and order)."""
    if status not in STATUSES_TOLD_TO_SHOPPER:
        return
    order = Order.objects.select_related("store").filter(pk=order_id).first()
    if order is None:
        return
    context = {
        **_order_context(order),
        "status": status,
        "note": note.strip(),
        "payment_expired": order.payment_status == PaymentStatus.EXPIRED,
    }
    key = f"order-status:{order.pk}:{status}"
    with transaction.atomic():
        notification_send(
            template="order_status",
            context=context,
            channels=(Channel.EMAIL, Channel.SMS),
            email=order.customer_email or None,
            phone=order.customer_phone,
            category=Category.ORDER,
            idempotency_key=key,
            related=order,
        )


def gsm7(text: str, *, max_length: int) -> str:
    """`text` in the GSM-7 alphabet (accents dropped where needed), clipped to max_length."""
    kept = []
    for char in (text or "").translate(SMS_REPLACEMENTS):
        if char in GSM7_BASIC or char in GSM7_EXTENDED:
            kept.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)
        kept.extend(part for part in base if part in GSM7_BASIC)
    cleaned = " ".join("".join(kept).split())
    if len(cleaned) <= max_length:
        return cleaned
    head, space, _rest = cleaned[: max_length + 1].rpartition(" ")
    # At a word boundary, unless that would lose more than half the room.
    return head if space and len(head) >= max_length // 2 else cleaned[:max_length]


def _plan_context(order: Order) -> dict:
    """Pay on delivery: the deposit paid and what is due at the door (empty for other orders)."""
    plan = OrderPaymentPlan.objects.filter(order_id=order.pk).first()
    if plan is None:
        return {"deposit_paid": False}
    return {
        "deposit_paid": plan.deposit_paid_at is not None and plan.balance_paid_at is None,
        "deposit": naira(plan.deposit_amount),
        "balance_due": naira(plan.balance_amount),
        "balance_due_sms": naira_sms(plan.balance_amount),
    }


def send_balance_paid(*, order_id: str) -> None:
    """Pay on delivery: the balance was collected, the order is fully paid (once per order)."""
    order = Order.objects.select_related("store").filter(pk=order_id).first()
    if order is None:
        return
    with transaction.atomic():
        notification_send(
            template="order_balance_paid",
            context=_order_context(order),
            channels=(Channel.EMAIL, Channel.SMS),
            email=order.customer_email or None,
            phone=order.customer_phone,
            category=Category.ORDER,
            idempotency_key=f"order-balance-paid:{order.pk}",
            related=order,
        )


def _order_context(order: Order) -> dict:
    store = order.store
    items = [
        {
            "name": item.get("product_name", ""),
            "options": ", ".join(
                f"{name}: {choice}" for name, choice in (item.get("variant_selection") or {}).items()
            ),
            "quantity": int(item.get("quantity") or 0),
            "unit_price": naira(item.get("product_price")),
            "subtotal": naira(item.get("subtotal")),
        }
        for item in order.items or []
    ]
    address = order.customer_address if isinstance(order.customer_address, dict) else {}
    service_fee = pricing.fee_charged_to_customer(order)
    return {
        "store": store,
        "store_url": f"{site_url()}{store.get_absolute_url()}",
        "sms_store_name": gsm7(store.display_name, max_length=SMS_STORE_NAME_LENGTH),
        "order_number": order.order_number,
        "customer_name": order.customer_name,
        "customer_phone": order.customer_phone,
        "customer_email": order.customer_email or "",
        "items": items,
        "subtotal": naira(order.subtotal),
        "discount": naira(order.discount) if order.discount else "",
        "shipping_fee": naira(order.shipping_fee),
        "service_fee": naira(service_fee) if service_fee else "",
        "total": naira(order.total),
        "total_sms": naira_sms(order.total),
        "pickup": address.get("delivery_method") == DeliveryMethod.PICKUP,
        "delivery_address": order.delivery_address or "",
        "delivery_lga": order.delivery_lga or "",
        "delivery_state": order.delivery_state or "",
        "notes": order.notes or "",
        "paid": order.payment_status == PaymentStatus.PAID,
        **_plan_context(order),
        "track_url": f"{site_url()}/track/{order.order_number}",
        # A bookings store's order is an appointment: the messages say when and where.
        "appointment": appointment_for_order(order),
    }
