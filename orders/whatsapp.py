"""WhatsApp chat links (wa.me) and the texts they prefill.

Two directions: the shopper's "Order on WhatsApp" opens the store's chat with the order they
just placed (number, items, total, pay link), and the merchant's "WhatsApp the customer"
opens the shopper's chat with one of a few message templates, which the merchant edits before
sending. wa.me is a plain link: nothing is sent by us, the person presses send in WhatsApp.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from config.money import naira
from config.site_url import site_url
from orders.models import Order, OrderStatus, PaymentStatus
from orders.pricing import fee_charged_to_customer
from orders.selectors import payment_open_for_order

# wa.me puts the text in a URL: WhatsApp opens links of a few thousand characters, and a
# merchant's edited message is cut here rather than making a link WhatsApp refuses.
MESSAGE_MAX_LENGTH = 1500


def wa_link(number: str, text: str) -> str:
    """https://wa.me/<digits>?text=<text>; `number` may be +234… or digits."""
    digits = re.sub(r"\D", "", number or "")
    return f"https://wa.me/{digits}?text={quote(text[:MESSAGE_MAX_LENGTH], safe='')}"


def pay_url(order: Order) -> str | None:
    """The page where the order's open payment is made, or None when nothing is left to pay."""
    payment = payment_open_for_order(order=order)
    if payment is None or order.payment_status != PaymentStatus.PENDING:
        return None
    return f"{site_url()}/{order.store.username}/pay/{payment.payment_reference}"


def track_url(order: Order) -> str:
    return f"{site_url()}/track/{order.order_number}"


def receipt_url(order: Order) -> str:
    # the receipt page belongs to payments (above this app): its address is a plain path
    return f"{site_url()}/{order.store.username}/orders/{order.order_number}/receipt"


def _item_lines(order: Order) -> list[str]:
    """One line per item, in the order the shopper listed them (the order's own snapshot)."""
    lines = []
    for item in order.items or []:
        selection = item.get("variant_selection") or {}
        options = ", ".join(f"{name}: {choice}" for name, choice in selection.items())
        name = item.get("product_name") or "Item"
        label = f"{name} ({options})" if options else name
        lines.append(f"{item.get('quantity', 1)} x {label}: {naira(item.get('subtotal'))}")
    return lines


def order_message(order: Order) -> str:
    """What the shopper sends the store after "Order on WhatsApp"."""
    lines = [f"Hello {order.store.display_name}, I have placed order {order.order_number}:"]
    lines += _item_lines(order)
    if order.discount:
        lines.append(f"Discount: -{naira(order.discount)}")
    if order.delivery_address:
        lines.append(f"Delivery to {order.delivery_lga}, {order.delivery_state}: {naira(order.shipping_fee)}")
    else:
        lines.append("Pickup from the store")
    service_fee = fee_charged_to_customer(order)
    if service_fee:
        lines.append(f"Service fee: {naira(service_fee)}")
    lines.append(f"Total: {naira(order.total)}")
    link = pay_url(order)
    if link:
        lines.append(f"Pay by bank transfer: {link}")
    lines.append(f"Track: {track_url(order)}")
    return "\n".join(lines)


@dataclass(frozen=True)
class CustomerMessage:
    key: str
    label: str
    text: str


def customer_messages(order: Order) -> list[CustomerMessage]:
    """The templates "WhatsApp the customer" offers for this order, in the order they apply."""
    store, name = order.store.display_name, order.customer_name.split()[0] if order.customer_name else ""
    hello = f"Hello {name}, this is {store}."
    messages = []
    link = pay_url(order)
    if link:
        messages.append(
            CustomerMessage(
                "payment_reminder",
                "Payment reminder",
                f"{hello} Your order {order.order_number} ({naira(order.total)}) is waiting for payment. "
                f"Pay by bank transfer here: {link}",
            )
        )
    messages.append(
        CustomerMessage(
            "shipped",
            "Shipped",
            f"{hello} Your order {order.order_number} is on its way. Follow it here: {track_url(order)}",
        )
    )
    messages.append(
        CustomerMessage(
            "ready_for_pickup",
            "Ready for pickup",
            f"{hello} Your order {order.order_number} is ready for pickup. "
            "Bring the order number when you come.",
        )
    )
    delivered = f"{hello} Your order {order.order_number} has been delivered. Thank you for shopping with us!"
    if order.payment_status == PaymentStatus.PAID:
        delivered += f" Your receipt: {receipt_url(order)}"
    messages.append(CustomerMessage("delivered", "Delivered", delivered))
    return messages


def suggested_message(order: Order) -> str:
    """The template that fits the order's status best, preselected in the form."""
    keys = {message.key: message for message in customer_messages(order)}
    if "payment_reminder" in keys:
        return "payment_reminder"
    if order.status in (OrderStatus.DELIVERED, OrderStatus.FULFILLED):
        return "delivered"
    if order.status == OrderStatus.SHIPPED:
        return "ready_for_pickup" if not order.delivery_address else "shipped"
    return "shipped"
