"""Orders placed through "Order on WhatsApp": a real pending order, then the store's chat."""

from dataclasses import dataclass
from typing import Any

from config.errors import Conflict
from orders.models import Order, OrderChannel
from orders.pricing import DeliveryMethod
from orders.services.placement import order_place
from orders.whatsapp import order_message, wa_link
from stores.models import Store
from stores.selectors import store_whatsapp_order_number


class WhatsAppOrderingOff(Conflict):
    code = "whatsapp_ordering_off"


@dataclass(frozen=True)
class WhatsAppOrder:
    order: Order
    whatsapp_url: str


def order_place_on_whatsapp(
    *,
    store: Store,
    customer: dict[str, Any],
    lines: list[dict[str, Any]],
    idempotency_key: str | None = None,
    delivery_method: str = DeliveryMethod.PICKUP,
    coupon_code: str | None = None,
) -> WhatsAppOrder:
    """Place the order as checkout does (stock held, payment opened), marked as from WhatsApp,
    and the wa.me link that opens the store's chat with the order prefilled.

    A retried submit with the same key gives back the same order and the same link.
    """
    number = store_whatsapp_order_number(store=store)
    if number is None:
        raise WhatsAppOrderingOff("This store does not take orders on WhatsApp.")
    order = order_place(
        store=store,
        customer=customer,
        lines=lines,
        idempotency_key=idempotency_key,
        delivery_method=delivery_method,
        coupon_code=coupon_code,
        source=OrderChannel.WHATSAPP,
    )
    return WhatsAppOrder(order=order, whatsapp_url=wa_link(number, order_message(order)))
