"""Pay on delivery's balance at the door: a Monnify one-time account opened for it through the
checkout's own collection path, or cash the merchant records (see payments/services/pod.py for
how each is booked)."""

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from config.errors import Conflict
from orders import pod as pod_rules
from orders.models import BalanceMethod, Order, OrderPaymentPlan, PaymentStatus
from orders.selectors import order_get_for_owner
from orders.services.pod import order_balance_check, order_balance_paid, plan_note_balance_reference
from payments import locks
from payments.models import LedgerKind, Payment
from payments.payment_state import PaymentState
from payments.services.collections import payment_create
from payments.services.ledger import ledger_book


def pod_balance_account_open(*, user: User, order_id: str) -> Payment:
    """A Monnify one-time account for the balance, opened at the door (the merchant's button).

    The same collection path as a checkout: the payment row now, Monnify's account after the
    commit (payments.tasks.payment_open). Pressing again while it is open gives the same one.
    Another merchant's order is not found (404).
    """
    order = order_get_for_owner(user=user, order_id=order_id)
    with transaction.atomic():
        locked, plan = _locked_plan(order)
        if plan.balance_paid_at is not None:
            raise Conflict("The balance is already paid.", code="balance_paid")
        if plan.balance_amount <= 0:
            raise Conflict("Nothing is left to pay on delivery.", code="balance_paid")
        payment = payment_create(order=locked)
        plan_note_balance_reference(order=locked, reference=payment.payment_reference)
    return payment


def pod_balance_record_cash(*, user: User, order_id: str) -> bool:
    """The merchant collected the balance in cash. True the first time; again it changes nothing.

    An open Monnify account for the balance is closed, so the shopper cannot pay twice.
    """
    order = order_get_for_owner(user=user, order_id=order_id)
    with transaction.atomic():
        locked, plan = _locked_plan(order)
        if plan.balance_paid_at is not None:
            return False
        for payment in Payment.objects.filter(order_id=order.pk, status=PaymentStatus.PENDING):
            state = PaymentState.of(payment)
            state.mark_closed_by_cash()
            state.store(payment)
            payment.status = PaymentStatus.EXPIRED
            payment.save(update_fields=["status", "metadata", "updated_at"])
        order_balance_paid(order_id=order.pk, method=BalanceMethod.CASH, actor=user)
        _fee_deposit, fee_balance = pod_rules.fee_split(
            fee=locked.agm_fee or Decimal("0"), deposit=plan.deposit_amount
        )
        if fee_balance > 0:
            ledger_book(
                merchant_id=locked.store.user_id,
                kind=LedgerKind.DEBIT_CASH_FEE,
                amount=-fee_balance,
                reference=f"cash-fee:{locked.pk}",
                description=f"Platform fee on the cash balance of {locked.order_number}",
            )
    return True


def _locked_plan(order: Order) -> tuple[Order, OrderPaymentPlan]:
    """Inside the caller's transaction: the order's payments, then the order, locked in the
    payments app's lock order, and its plan (a pay-now order is refused)."""
    locks.payments_lock_for_order(order_id=order.pk)
    locked = locks.order_lock(order.pk)
    return locked, order_balance_check(order=locked)
