"""Status changes of an order: DESIGN.md's machine, cancelling, payment confirmation and expiry."""

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from config.errors import Conflict, ServiceError
from config.money import naira
from orders import locks, messages, metrics, pod, stock
from orders.models import (
    BalanceMethod,
    Order,
    OrderEvent,
    OrderPaymentPlan,
    OrderStatus,
    PaymentStatus,
)
from orders.payment_hooks import order_payments
from orders.services.coupons import coupon_release
from orders.services.customers import customer_refresh_on_commit
from orders.services.recovery import recovery_note_paid
from stores.services import storefront_cache_bump

TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: {OrderStatus.FULFILLED},
    OrderStatus.FULFILLED: set(),
    OrderStatus.CANCELLED: set(),
}


class IllegalTransition(Conflict):
    code = "illegal_transition"


def allowed_transitions(status: str) -> list[str]:
    return sorted(TRANSITIONS.get(status, ()), key=list(OrderStatus.values).index)


def order_transition(
    *, order: Order, to_status: str, actor: User | None = None, note: str = "", customer_message: str = ""
) -> Order:
    """Move an order along DESIGN.md's status machine; an illegal move changes nothing (409).

    `note` is the merchant's own; only `customer_message` reaches the shopper."""
    if to_status not in OrderStatus.values:
        raise ServiceError(
            f"{to_status!r} is not an order status.", code="invalid_status", details={"status": to_status}
        )
    if to_status == OrderStatus.CANCELLED:
        return order_cancel(order=order, actor=actor, note=note, customer_message=customer_message)
    message = customer_message.strip()[:2000]
    with transaction.atomic():
        locked = locks.order_lock(order.pk)
        _check_transition(locked, to_status)
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=locked, status=to_status, note=note[:2000], customer_message=message or None, actor=actor
        )
        _tell_shopper(locked, note=message)
    return locked


def order_cancel(
    *, order: Order, actor: User | None = None, note: str = "", customer_message: str = ""
) -> Order:
    """Cancel a pending or confirmed order, giving its stock and coupon use back.

    A paid order's money goes back to the shopper through a Monnify refund, started in the
    same transaction: if the refund cannot start (say the balance is too low), nothing changes.
    An unpaid order's open payment is closed, so its transfer account is no longer offered.
    """
    with transaction.atomic():
        payments = order_payments()
        payments.lock(order_id=order.pk)
        locked = locks.order_lock(order.pk)
        _check_transition(locked, OrderStatus.CANCELLED)
        reason = (note or "Order cancelled by the merchant.")[:200]
        plan = OrderPaymentPlan.objects.filter(order_id=locked.pk).first()
        if plan is not None and plan.deposit_paid_at is not None:
            note = _refund_by_policy(locked, plan, reason, note)
        elif locked.payment_status == PaymentStatus.PAID:
            for payment in locked.payments.filter(status=PaymentStatus.PAID):
                payments.refund(payment=payment, reason=reason)
        # The stock goes back now, so the transfer account must stop being offered to the shopper.
        payments.close_open(order=locked)
        _release(locked)
        locked.status = OrderStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        message = customer_message.strip()[:2000]
        OrderEvent.objects.create(
            order=locked,
            status=OrderStatus.CANCELLED,
            note=(note or "Order cancelled.")[:2000],
            customer_message=message or None,
            actor=actor,
        )
        _tell_shopper(locked, note=message)
        customer_refresh_on_commit(locked)
    return locked


def _refund_by_policy(order: Order, plan: OrderPaymentPlan, reason: str, note: str) -> str:
    """Pay on delivery cancelled after the deposit: the store's refund policy, as agreed at
    checkout, decides what of the deposit goes back; a balance paid by transfer goes back whole.
    A balance paid in cash is the merchant's to hand back. The timeline note says which."""
    payments = order_payments()
    refunded = Decimal("0.00")
    for payment in order.payments.filter(status=PaymentStatus.PAID):
        if payment.payment_reference == plan.balance_reference:
            payments.refund(payment=payment, reason=reason)
            refunded += payment.amount
            continue
        amount = pod.cancellation_refund(
            deposit=plan.deposit_amount, policy=plan.refund_policy, keep_percent=plan.refund_keep_percent
        )
        if amount > 0:
            payments.refund(payment=payment, amount=amount, reason=reason)
            refunded += amount
    kept = plan.deposit_amount - pod.cancellation_refund(
        deposit=plan.deposit_amount, policy=plan.refund_policy, keep_percent=plan.refund_keep_percent
    )
    parts = [
        note or "Order cancelled.",
        f"Refund of {naira(refunded)} started; {naira(kept)} of the deposit kept.",
    ]
    if plan.balance_paid_at is not None and plan.balance_method == BalanceMethod.CASH:
        parts.append(f"The {naira(plan.balance_amount)} collected in cash is yours to hand back.")
    return " ".join(parts)


def order_mark_paid(*, order_id: str) -> Order:
    """A verified payment covers the order: its payment status becomes paid and a pending
    order is confirmed (which tells the shopper). Never moves an order backwards."""
    with transaction.atomic():
        locked = locks.order_lock(order_id)
        if locked.payment_status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            locked.payment_status = PaymentStatus.PAID
            locked.save(update_fields=["payment_status", "updated_at"])
            recovery_note_paid(order=locked)
        if locked.status == OrderStatus.PENDING:
            return order_transition(
                order=locked,
                to_status=OrderStatus.CONFIRMED,
                note="Payment received.",
                customer_message="Payment received.",
            )
    return locked


def order_expire_payment(*, order: Order) -> Order:
    """The order's payment window closed unpaid: mark it expired, cancel, return the stock.

    Safe to call twice, and does nothing to an order that was paid or moved on meanwhile.
    """
    with transaction.atomic():
        locked = locks.order_lock(order.pk)
        if locked.status != OrderStatus.PENDING or locked.payment_status not in (
            PaymentStatus.PENDING,
            PaymentStatus.FAILED,
        ):
            return locked
        _release(locked)
        locked.status = OrderStatus.CANCELLED
        locked.payment_status = PaymentStatus.EXPIRED
        locked.save(update_fields=["status", "payment_status", "updated_at"])
        OrderEvent.objects.create(
            order=locked, status=OrderStatus.CANCELLED, note="Payment expired; stock returned."
        )
        _tell_shopper(locked)
        customer_refresh_on_commit(locked)
    return locked


def _check_transition(order: Order, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(order.status, ()):
        allowed = allowed_transitions(order.status)
        raise IllegalTransition(
            f"An order that is {order.status} cannot become {to_status}"
            + (f"; it can become {', '.join(allowed)}." if allowed else "."),
            details={"from": order.status, "to": to_status, "allowed": allowed},
        )


def _tell_shopper(order: Order, *, note: str = "") -> None:
    status = order.status
    # Every status change tells the shopper, so it is counted here too.
    transaction.on_commit(lambda: metrics.order_status_changed(status))
    transaction.on_commit(
        lambda: messages.send_order_status(order_id=order.pk, status=status, note=note), robust=True
    )


def _release(order: Order) -> None:
    """Give back the stock and the coupon use of a locked order."""
    quantities: dict[str, int] = {}
    for product_id, quantity in order.order_items.values_list("product_id", "quantity"):
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    if quantities and stock.return_stock(quantities=quantities):
        storefront_cache_bump(order.store_id)
    coupon_release(order)
