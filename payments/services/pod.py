"""Pay on delivery in the payments app: which part of an order a payment collects, and booking
the deposit and the balance apart in the ledger (the balance at the door: pod_balance.py).

The orders app owns the plan (orders/services/pod.py); this module applies money to it.
Ledger: the deposit and a balance paid by transfer are Monnify-held money, credited under the
usual `sale:<reference>` (so refunds and reversals work unchanged) with their own kinds. The
platform fee comes out of the deposit as far as it reaches (orders.pod.fee_split), the rest out
of the balance; a balance paid in cash never reaches Monnify, so it credits nothing and only
the fee the deposit could not carry is debited.
"""

from decimal import Decimal

from orders import pod as pod_rules
from orders.models import BalanceMethod, Order, OrderPaymentPlan
from orders.services.pod import order_balance_paid, order_deposit_paid, plan_for
from payments.models import LedgerKind, Payment
from payments.services.ledger import ledger_credit_sale

DEPOSIT = "deposit"
BALANCE = "balance"


def pod_amount_due(order: Order) -> Decimal | None:
    """What the order's next payment collects: the deposit until it is paid, then the balance.
    None for an order paid in full up front."""
    plan = plan_for(order)
    if plan is None:
        return None
    amount: Decimal = plan.deposit_amount if plan.deposit_paid_at is None else plan.balance_amount
    return amount


def pod_part(payment: Payment, plan: OrderPaymentPlan | None) -> str | None:
    if plan is None:
        return None
    return (
        BALANCE if plan.balance_reference and plan.balance_reference == payment.payment_reference else DEPOSIT
    )


def pod_fee_share(payment: Payment) -> Decimal | None:
    """The part of the platform fee this pay-on-delivery payment carries (None for other orders)."""
    order = Order.objects.only("pk", "agm_fee").get(pk=payment.order_id)
    plan = plan_for(order)
    part = pod_part(payment, plan)
    if part is None or plan is None:
        return None
    fee_deposit, fee_balance = pod_rules.fee_split(
        fee=order.agm_fee or Decimal("0"), deposit=plan.deposit_amount
    )
    return fee_deposit if part == DEPOSIT else fee_balance


def pod_payment_applied(*, payment: Payment, amount_paid: Decimal) -> bool:
    """Inside payment_apply_status, for a payment that just became paid (its row locked).

    False for an order paid in full up front (the caller confirms it as usual); else the
    deposit confirms the order, or the balance completes it, and the ledger books that part.
    """
    order = Order.objects.only("pk", "agm_fee").get(pk=payment.order_id)
    plan = plan_for(order)
    part = pod_part(payment, plan)
    if part is None or plan is None:
        return False
    fee_deposit, fee_balance = pod_rules.fee_split(
        fee=order.agm_fee or Decimal("0"), deposit=plan.deposit_amount
    )
    if part == DEPOSIT:
        order_deposit_paid(order_id=order.pk)
        ledger_credit_sale(
            payment,
            amount_paid,
            kind=LedgerKind.CREDIT_DEPOSIT,
            fee=fee_deposit,
            description="Pay-on-delivery deposit, net of the platform fee",
        )
    else:
        order_balance_paid(order_id=order.pk, method=BalanceMethod.TRANSFER)
        ledger_credit_sale(
            payment,
            amount_paid,
            kind=LedgerKind.CREDIT_BALANCE,
            fee=fee_balance,
            description="Pay-on-delivery balance by transfer, net of the platform fee",
        )
    return True
