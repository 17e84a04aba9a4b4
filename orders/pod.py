"""Pay on delivery's arithmetic and rules, without database writes (orders/services/pod.py writes).

One place splits a total into a deposit and a balance, so the checkout's breakdown, the order
placed, the Monnify account for the deposit and the refund on cancelling all agree to the kobo.
"""

from dataclasses import dataclass
from decimal import Decimal

from config.money import ZERO, naira, to_kobo
from orders import geography
from orders.pod_models import DepositKind, OrderPaymentPlan, PodSettings, RefundPolicy

HUNDRED = Decimal(100)
# Monnify's one-time accounts take small amounts, but a deposit below this is not worth a
# courier's trip: the floor.
DEPOSIT_MINIMUM = Decimal("500.00")


class DepositTooSmall(Exception):
    pass


@dataclass(frozen=True)
class Split:
    deposit: Decimal
    balance: Decimal


def deposit_split(*, total: Decimal, kind: str, value: Decimal) -> Split:
    """The deposit for an order of `total` and the balance left for the door.

    A percentage is rounded half up to the kobo once; the balance is the rest, so the two
    always add up to the total. Raises DepositTooSmall when the deposit would be under ₦500
    (a small order can be paid in full instead) or would cover the whole total.
    """
    total = to_kobo(total)
    deposit = to_kobo(total * Decimal(value) / HUNDRED) if kind == DepositKind.PERCENT else to_kobo(value)
    if deposit < DEPOSIT_MINIMUM:
        raise DepositTooSmall(
            f"The deposit would be {naira(deposit)}; the least is {naira(DEPOSIT_MINIMUM)}."
        )
    if deposit >= total:
        # Nothing would be left for the door: the order is simply paid now.
        raise DepositTooSmall(f"The deposit of {naira(deposit)} covers the order's {naira(total)}.")
    return Split(deposit=deposit, balance=total - deposit)


def area_qualifies(settings: PodSettings | None, *, state: str | None, lga: str | None) -> bool:
    """Whether pay on delivery is offered to this (canonical) state and LGA."""
    if settings is None or not settings.enabled or not state:
        return False
    for area in settings.areas or []:
        if area.get("state") == state and (not area.get("lga") or area.get("lga") == lga):
            return True
    return False


def cancellation_refund(*, deposit: Decimal, policy: str, keep_percent: Decimal) -> Decimal:
    """What goes back to the shopper of a deposit when the order is cancelled after paying it."""
    if policy == RefundPolicy.KEEP_DEPOSIT:
        return ZERO
    if policy == RefundPolicy.KEEP_PERCENT:
        kept = to_kobo(Decimal(deposit) * Decimal(keep_percent) / HUNDRED)
        return to_kobo(Decimal(deposit) - kept)
    return to_kobo(deposit)


def policy_text(*, policy: str, keep_percent: Decimal) -> str:
    """The refund policy in the words the shopper reads at checkout and on their order."""
    if policy == RefundPolicy.KEEP_DEPOSIT:
        return "If the order is cancelled after you pay the deposit, the deposit is not refunded."
    if policy == RefundPolicy.KEEP_PERCENT:
        kept = f"{to_kobo(keep_percent).normalize():f}"
        return (
            f"If the order is cancelled after you pay the deposit, the store keeps {kept}% of it "
            "and refunds the rest."
        )
    return "If the order is cancelled after you pay the deposit, the whole deposit is refunded."


def fee_split(*, fee: Decimal, deposit: Decimal) -> tuple[Decimal, Decimal]:
    """The platform fee taken from the deposit, and the rest of it, taken from the balance.

    The fee comes out of Monnify-held money first: the deposit carries as much as it can, so a
    balance paid in cash owes only what the deposit could not carry.
    """
    from_deposit = min(to_kobo(fee), to_kobo(deposit))
    return from_deposit, to_kobo(fee) - from_deposit


def pod_settings_for(store) -> PodSettings | None:
    return PodSettings.objects.filter(store=store).first()


@dataclass(frozen=True)
class PodOffer:
    """What the checkout offers for the place and total chosen: the split, or why not."""

    split: Split | None
    reason: str  # why pay on delivery is not offered here ("" when it is, or when it is off)
    policy: str

    @property
    def offered(self) -> bool:
        return self.split is not None


def checkout_pod_offer(store, quote, *, state: str, lga: str, method: str) -> PodOffer | None:
    """The checkout page's offer beside its breakdown (orders.selectors.CheckoutQuote)."""
    state = geography.canonical_state(state) or ""
    lga = (geography.canonical_lga(state, lga) or "") if state else ""
    total = quote.totals.total if quote.totals is not None and not quote.needs_place else None
    return pod_offer(pod_settings_for(store), total=total, state=state, lga=lga, method=method)


def pod_offer(
    settings: PodSettings | None, *, total: Decimal | None, state, lga, method: str
) -> PodOffer | None:
    """None when the store does not take pay on delivery at all; else the offer for this checkout."""
    if settings is None or not settings.enabled:
        return None
    policy = policy_text(policy=settings.refund_policy, keep_percent=settings.refund_keep_percent)
    if method != "delivery":
        return PodOffer(None, "Pay on delivery is for orders delivered to you.", policy)
    if not area_qualifies(settings, state=state, lga=lga):
        return PodOffer(None, "Pay on delivery is not offered where you are: pay now by transfer.", policy)
    if total is None:
        return PodOffer(None, "", policy)
    try:
        return PodOffer(
            deposit_split(total=total, kind=settings.deposit_kind, value=settings.deposit_value), "", policy
        )
    except DepositTooSmall:
        return PodOffer(None, "Pay on delivery is for larger orders: pay this one now by transfer.", policy)


def order_plan_context(order) -> dict:
    """For an order's pages: its plan (None when paid in full up front), the refund policy in
    words, and the Monnify account open at the door for the balance, if any."""
    plan = OrderPaymentPlan.objects.filter(order_id=order.pk).first()
    if plan is None:
        return {"pod_plan": None}
    account = None
    if plan.balance_reference and plan.balance_paid_at is None:
        account = order.payments.filter(payment_reference=plan.balance_reference, status="pending").first()
    return {
        "pod_plan": plan,
        "pod_policy": policy_text(policy=plan.refund_policy, keep_percent=plan.refund_keep_percent),
        "pod_account": account,
    }
