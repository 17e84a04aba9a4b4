"""Every message the payments app sends a merchant, in one place.

payments.services calls these through transaction.on_commit: nothing is said about a change
that rolled back, and a template or provider problem can never undo a payment or a payout.

Email and SMS go through notification_send, so the merchant's preferences apply (category
payment or payout, and the email/SMS switches) and an idempotency key makes each one a single
message however often the event is replayed. The in-dashboard notification (the bell) is
always written, whatever the preferences: it is the merchant's record of their money in the
place they manage it, not a message pushed at them. It is written at most once per event
(per flag kind for a flagged payment), checked under a lock on the payment or payout row.
"""

import unicodedata
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from config.money import naira, naira_sms
from config.site_url import site_url
from notifications.alerts import alert_bell, alert_delivery_channels
from notifications.models import AlertKind, Category, Channel
from notifications.rendering import GSM7_BASIC
from notifications.services import notification_send
from orders.models import OrderStatus
from payments.models import Payment, Payout, PayoutStatus, Refund, RefundStatus
from payments.monnify import parse_amount
from payments.payment_state import PaymentState
from payments.services.pod import pod_fee_share

# GSM-7 look-alikes for characters that would switch an SMS to UCS-2 (70 characters a segment).
GSM7_SUBSTITUTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)
SMS_STORE_NAME_LENGTH = 20
SMS_ORDER_NUMBER_LENGTH = 20


def _sms_safe(text: str, limit: int) -> str:
    """`text` in GSM-7 basic characters only (accents dropped, the rest removed), cut to `limit`."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(GSM7_SUBSTITUTES))
    kept = "".join(char for char in decomposed if char in GSM7_BASIC and char not in "\r\n")
    return " ".join(kept.split())[:limit].strip()


def _order_link(order) -> str:
    return reverse("dashboard:orders_dashboard:detail", kwargs={"order_id": order.pk})


def _payouts_link() -> str:
    return reverse("dashboard:payments_dashboard:overview")


def _amount_received(payment: Payment) -> Decimal:
    return PaymentState.of(payment).amount_paid or payment.amount


# --- payments ------------------------------------------------------------------------------------


def send_payment_received(*, payment_id: str) -> None:
    """The merchant's order was paid: email, SMS and the bell, all pointing at the order."""
    payment = Payment.objects.select_related("order__store", "user").get(pk=payment_id)
    order, merchant = payment.order, payment.user
    store = order.store
    received = _amount_received(payment)
    fee = pod_fee_share(payment)
    if fee is None:
        fee = order.agm_fee or Decimal("0")
    link = _order_link(order)
    context = {
        "store": store,
        "name": merchant.get_short_name(),
        "order_number": order.order_number,
        "customer_name": order.customer_name,
        "amount": naira(received),
        "order_total": naira(payment.amount),
        "excess": naira(received - payment.amount) if received > payment.amount else "",
        "fee": naira(fee),
        "net_amount": naira(received - fee),
        "method": payment.get_payment_method_display() if payment.payment_method else "",
        "paid_at": timezone.localtime(payment.paid_at) if payment.paid_at else None,
        "order_url": f"{site_url()}{link}",
        # Money for an order the merchant had cancelled is theirs to refund, not to ship.
        "cancelled": order.status == OrderStatus.CANCELLED,
        "sms_store_name": _sms_safe(store.display_name, SMS_STORE_NAME_LENGTH) or "Your store",
        "sms_order_number": _sms_safe(order.order_number, SMS_ORDER_NUMBER_LENGTH),
        "sms_amount": naira_sms(received),
    }
    notification_send(
        template="payment_received",
        context=context,
        channels=alert_delivery_channels(merchant, AlertKind.PAYMENT_RECEIVED),
        user=merchant,
        category=Category.PAYMENT,
        idempotency_key=f"payment-received:{payment.pk}",
        related=payment,
    )
    alert_bell(
        idempotency_key=f"payment-received:{payment.pk}",
        user=merchant,
        kind=AlertKind.PAYMENT_RECEIVED,
        title=f"Payment received for order {order.order_number}",
        body=(
            f"{order.customer_name} paid {naira(received)}. {naira(received - fee)} is added to your "
            "balance after the platform fee."
            + ("" if context["cancelled"] else " Prepare the order for delivery.")
        ),
        link=link,
    )


def _flag_message(flag: str, payment: Payment) -> tuple[str, str] | None:
    """(title, what to do) for a payment flagged for the merchant, or None for an unknown flag."""
    state = PaymentState.of(payment)
    number = payment.order.order_number
    total = naira(payment.amount)
    if flag == "partly_paid":
        short = state.partly_paid
        paid = (parse_amount(short["amount_paid"]) if short else None) or Decimal("0")
        return (
            f"Order {number} was paid short",
            f"{naira(paid)} of {total} arrived, so the order stays unpaid. Don't deliver it yet: ask the "
            f"shopper to pay the remaining {naira(payment.amount - paid)}, or refund what arrived.",
        )
    if flag == "overpaid":
        over = state.overpaid
        sent = (parse_amount(over["amount_paid"]) if over else None) or payment.amount
        excess = (parse_amount(over["excess"]) if over else None) or 0
        return (
            f"Order {number} was overpaid",
            f"The shopper sent {naira(sent)} for a "
            f"{total} order. The order is paid and confirmed; refund the "
            f"{naira(excess)} excess to the shopper.",
        )
    if flag == "late_payment":
        late = state.late_payment
        arrived = (parse_amount(late["amount_paid"]) if late else None) or payment.amount
        return (
            f"Order {number} was paid after it expired",
            f"{naira(arrived)} arrived after the order "
            "expired and its stock was returned. Fulfil it if you still have the items, or refund the "
            "shopper.",
        )
    if flag == "paid_after_cancel":
        return (
            f"Order {number} was paid after you cancelled it",
            f"{naira(_amount_received(payment))} arrived for an order you had cancelled. Refund the "
            "shopper, or contact them if you would rather fulfil it.",
        )
    if flag == "reversed":
        return (
            f"Payment for order {number} was reversed",
            f"Monnify reversed the {total} payment: the money went back to the shopper. Don't deliver "
            "the order; if you already have, contact the shopper.",
        )
    return None


def send_payment_flag(*, payment_id: str, flag: str) -> None:
    """The bell tells the merchant what to do about a payment that needs them (once per kind)."""
    payment = Payment.objects.select_related("order__store", "user").get(pk=payment_id)
    message = _flag_message(flag, payment)
    if message is None:
        return
    title, body = message
    link = _order_link(payment.order)
    notification_send(
        template="payment_flagged",
        context={
            "store": payment.order.store,
            "title": title,
            "body": body,
            "sms_title": _sms_safe(title, 100),
            "order_url": f"{site_url()}{link}",
        },
        channels=alert_delivery_channels(payment.user, AlertKind.PAYMENT_FLAGGED),
        user=payment.user,
        category=Category.PAYMENT,
        idempotency_key=f"payment-flag:{payment.pk}:{flag}",
        related=payment,
    )
    alert_bell(
        user=payment.user,
        kind=AlertKind.PAYMENT_FLAGGED,
        title=title,
        body=body,
        link=link,
        idempotency_key=f"payment-flag:{payment.pk}:{flag}",
    )


# --- payouts -------------------------------------------------------------------------------------


def _payout_context(payout: Payout) -> dict:
    return {
        "name": payout.merchant.get_short_name(),
        "amount": naira(payout.amount),
        "reference": payout.reference,
        "bank_name": payout.bank_name,
        # The last four digits are enough to recognise the account; a mailbox is not a vault.
        "account": f"{payout.bank_name} ****{payout.account_number[-4:]}",
        "account_name": payout.account_name,
        "reversed": payout.status == PayoutStatus.REVERSED,
        "completed_at": timezone.localtime(payout.completed_at) if payout.completed_at else None,
        "payouts_url": f"{site_url()}{_payouts_link()}",
        "sms_amount": naira_sms(payout.amount),
    }


def send_payout_completed(*, payout_id: str) -> None:
    payout = Payout.objects.select_related("merchant").get(pk=payout_id)
    context = _payout_context(payout)
    notification_send(
        template="payout_completed",
        context=context,
        channels=alert_delivery_channels(payout.merchant, AlertKind.PAYOUT_SENT),
        user=payout.merchant,
        category=Category.PAYOUT,
        idempotency_key=f"payout-completed:{payout.pk}",
        related=payout,
    )
    alert_bell(
        idempotency_key=f"payout-completed:{payout.pk}",
        user=payout.merchant,
        kind=AlertKind.PAYOUT_SENT,
        title=f"Payout {payout.reference} sent",
        body=f"{context['amount']} was sent to {context['account']} ({payout.account_name}).",
        link=_payouts_link(),
    )


def send_payout_failed(*, payout_id: str) -> None:
    """A failed or reversed payout: the money is back in the balance, and the merchant is told so.

    Monnify's reason is not repeated to the merchant: it often describes our own wallet
    ("insufficient balance"), which would mislead them; staff see it on the payout in admin.
    """
    payout = Payout.objects.select_related("merchant").get(pk=payout_id)
    context = _payout_context(payout)
    notification_send(
        template="payout_failed",
        context=context,
        channels=alert_delivery_channels(payout.merchant, AlertKind.PAYOUT_FAILED),
        user=payout.merchant,
        category=Category.PAYOUT,
        idempotency_key=f"payout-failed:{payout.pk}",
        related=payout,
    )
    what = "was reversed by the bank" if context["reversed"] else "did not go through"
    outcome = "reversed" if context["reversed"] else "failed"
    alert_bell(
        idempotency_key=f"payout-{outcome}:{payout.pk}",
        user=payout.merchant,
        kind=AlertKind.PAYOUT_FAILED,
        title=f"Payout {payout.reference} {outcome}",
        body=(
            f"The {context['amount']} payout to {context['account']} {what}. The money is back in your "
            "available balance: check the account details and request the payout again."
        ),
        link=_payouts_link(),
    )


# --- refunds -------------------------------------------------------------------------------------


def send_refund_outcome(*, refund_id: str) -> None:
    """A refund finished: the shopper hears whether their money is on its way (email and SMS),
    and the merchant's bell says the same (their alert preferences apply)."""
    refund = Refund.objects.select_related("payment__order__store", "merchant").get(pk=refund_id)
    if refund.status not in (RefundStatus.COMPLETED, RefundStatus.FAILED):
        return
    order = refund.payment.order
    store = order.store
    completed = refund.status == RefundStatus.COMPLETED
    notification_send(
        template="refund_outcome",
        context={
            "store": store,
            "customer_name": order.customer_name,
            "order_number": order.order_number,
            "amount": naira(refund.amount),
            "sms_amount": naira_sms(refund.amount),
            "sms_store_name": _sms_safe(store.display_name, SMS_STORE_NAME_LENGTH) or "Your order",
            "completed": completed,
            "track_url": f"{site_url()}/track/{order.order_number}",
        },
        channels=(Channel.EMAIL, Channel.SMS),
        email=order.customer_email or None,
        phone=order.customer_phone,
        category=Category.PAYMENT,
        idempotency_key=f"refund-outcome:{refund.pk}",
        related=refund,
    )
    what = "completed" if completed else "failed"
    alert_bell(
        idempotency_key=f"refund-outcome:{refund.pk}",
        user=refund.merchant,
        kind=AlertKind.REFUND_OUTCOME,
        title=f"Refund {refund.reference} {what}",
        body=(
            f"{naira(refund.amount)} went back to {order.customer_name} for order {order.order_number}."
            if completed
            else f"The {naira(refund.amount)} refund for order {order.order_number} failed; the money is "
            "back in your balance. Contact the shopper."
        ),
        link=_order_link(order),
    )
