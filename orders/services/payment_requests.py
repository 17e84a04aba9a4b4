"""Payment requests: the merchant places an order for a shopper from the dashboard (through
order_place, so prices, stock and the transfer account are exactly a checkout's) and sends its
pay link by WhatsApp, SMS or email.

WhatsApp is a wa.me link the merchant's own phone opens with the message prefilled (nothing is
sent from here); SMS and email go through notification_send. A link may be sent again if the
shopper lost it, up to MAX_SENDS a channel; each send has its own key, so a double-click or a
retried request sends it once.
"""

from typing import Any

from django.db import transaction

from accounts.models import User
from config.errors import Conflict, ServiceError
from config.money import naira, naira_sms
from notifications.models import Category, Channel, DeliveryLog
from notifications.services import notification_send
from orders import locks
from orders.messages import SMS_STORE_NAME_LENGTH, gsm7
from orders.models import Order, OrderEvent, OrderStatus
from orders.pricing import DeliveryMethod
from orders.selectors import order_pay_link
from orders.services.placement import order_place
from stores.models import Store

MAX_SENDS = 3
SEND_CHANNELS = (Channel.SMS, Channel.EMAIL)


class PaymentRequestClosed(Conflict):
    code = "payment_request_closed"


def payment_request_create(
    *,
    store: Store,
    actor: User,
    customer: dict[str, Any],
    lines: list[dict[str, Any]],
    delivery_method: str = DeliveryMethod.DELIVERY,
    idempotency_key: str | None = None,
) -> Order:
    """An order placed by the merchant for a shopper; its timeline says who made it."""
    with transaction.atomic():
        order = order_place(
            store=store,
            customer=customer,
            lines=lines,
            delivery_method=delivery_method,
            idempotency_key=idempotency_key,
        )
        if not OrderEvent.objects.filter(order=order, note__startswith="Payment request").exists():
            OrderEvent.objects.create(
                order=order,
                status=OrderStatus.PENDING,
                note="Payment request created from the dashboard.",
                actor=actor,
            )
    return order


def payment_request_send(
    *, order_id: str, channel: str, actor: User | None = None, request_key: str = ""
) -> DeliveryLog:
    """Send the order's pay link by SMS or email (one more time, up to MAX_SENDS a channel)."""
    if channel not in SEND_CHANNELS:
        raise ServiceError(
            "Send the pay link by sms or email (WhatsApp opens on your phone).", code="invalid_channel"
        )
    with transaction.atomic():
        order = locks.order_lock(order_id)
        link = order_pay_link(order)
        if link is None:
            raise PaymentRequestClosed("This order is no longer waiting for payment.")
        if channel == Channel.EMAIL and not order.customer_email:
            raise ServiceError(
                "This order has no email address; send the link by SMS or WhatsApp.", code="no_email"
            )
        prefix = f"pay-request:{order.pk}:{channel}:"
        if request_key:
            earlier = DeliveryLog.objects.filter(
                idempotency_key=f"{prefix}{request_key}", channel=channel
            ).first()
            if earlier is not None:
                return earlier
        sent = DeliveryLog.objects.filter(idempotency_key__startswith=prefix, channel=channel).count()
        if sent >= MAX_SENDS:
            raise PaymentRequestClosed(f"The pay link was already sent {MAX_SENDS} times by {channel}.")
        logs = notification_send(
            template="payment_request",
            context={
                "store": order.store,
                "sms_store_name": gsm7(order.store.display_name, max_length=SMS_STORE_NAME_LENGTH),
                "customer_name": order.customer_name,
                "order_number": order.order_number,
                "items": order.items or [],
                "total": naira(order.total),
                "total_sms": naira_sms(order.total),
                "pay_url": link,
            },
            channels=(channel,),
            email=order.customer_email or None,
            phone=order.customer_phone,
            category=Category.ORDER,
            idempotency_key=f"{prefix}{request_key or sent + 1}",
            related=order,
        )
        OrderEvent.objects.create(
            order=order,
            status=order.status or OrderStatus.PENDING,
            note=f"Pay link sent by {channel}.",
            actor=actor,
        )
    return logs[0]
