"""Receipts: the verification code of a paid order, and sending the receipt by email."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import ServiceError
from notifications.models import Category, Channel
from notifications.services import notification_send
from orders.models import Order
from payments.models import Payment, Receipt
from payments.receipts import receipt_email_context, receipt_payment, receipt_view

# 128 random bits, URL-safe: /verify/<code> cannot be guessed or walked.
CODE_BYTES = 16
# "Email me the receipt" pressed twice within this window sends one email.
EMAIL_WINDOW_SECONDS = 300


def receipt_issue(*, order: Order, payment: Payment | None = None) -> Receipt:
    """The order's receipt, created with a fresh code the first time (NotFound when unpaid).

    `payment` is the one that just became paid (payment_apply_status); otherwise the order's
    paid payment is looked up.

    Safe to call again and concurrently: the order is the primary key, so a twin's insert
    fails and the row it wrote is returned.
    """
    existing = Receipt.objects.filter(order=order).select_related("payment").first()
    if existing is not None:
        return existing
    payment = payment or receipt_payment(order)
    try:
        with transaction.atomic():
            return Receipt.objects.create(
                order=order, payment=payment, code=secrets.token_urlsafe(CODE_BYTES)
            )
    except IntegrityError:
        return Receipt.objects.select_related("payment").get(order=order)


class NoEmailOnOrder(ServiceError):
    code = "no_email"


def receipt_email(*, order: Order) -> None:
    """Email the receipt to the address on the order (never to another: no one can use this
    to send mail to strangers) through the notifications channel, after commit."""
    if not order.customer_email:
        raise NoEmailOnOrder("This order has no email address; send the receipt by WhatsApp instead.")
    receipt = receipt_issue(order=order)
    view = receipt_view(order=order, receipt=receipt)
    window = int(timezone.now().timestamp()) // EMAIL_WINDOW_SECONDS
    with transaction.atomic():
        notification_send(
            template="order_receipt",
            context=receipt_email_context(view),
            channels=(Channel.EMAIL,),
            email=order.customer_email,
            category=Category.PAYMENT,
            idempotency_key=f"receipt-email:{order.pk}:{window}",
            related=order,
        )
