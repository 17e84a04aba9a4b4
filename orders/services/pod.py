"""Pay on delivery's writes in the orders app: the store's settings, each order's plan, the
deposit arriving (the order is confirmed, its stock now the shopper's) and the balance recorded.

The payments app (payments/services/pod.py) calls these after it has applied a Monnify
payment or a merchant's cash record, and books the ledger itself.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.errors import Conflict, InvalidInput
from config.money import naira, to_kobo
from orders import geography, locks, messages, pod
from orders.models import (
    BalanceMethod,
    DepositKind,
    Order,
    OrderEvent,
    OrderPaymentPlan,
    OrderStatus,
    PaymentStatus,
    PodSettings,
    RefundPolicy,
)
from orders.services.checkout import InvalidCheckout
from orders.services.recovery import recovery_note_paid
from orders.services.status import order_mark_paid, order_transition
from stores.models import Store

MAX_AREAS = 200
PERCENT_RANGE = (Decimal("1"), Decimal("99"))
KEEP_PERCENT_RANGE = (Decimal("1"), Decimal("90"))


def _decimal(value: object, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = ["Enter a number, e.g. 30 or 1500.00."]
        return None
    if not amount.is_finite():
        errors[field] = ["Enter a number, e.g. 30 or 1500.00."]
        return None
    return amount


def _clean_areas(areas: object, errors: dict[str, list[str]]) -> list[dict[str, str]]:
    if not isinstance(areas, list) or len(areas) > MAX_AREAS:
        errors["areas"] = [f"Give a list of at most {MAX_AREAS} states or LGAs."]
        return []
    cleaned: list[dict[str, str]] = []
    for area in areas:
        raw_state = area.get("state") if isinstance(area, dict) else None
        state = geography.canonical_state(str(raw_state or ""))
        if state is None:
            errors["areas"] = [f"{raw_state or 'An empty name'!s:.60} is not a Nigerian state."]
            return []
        raw_lga = str(area.get("lga") or "").strip()
        lga = geography.canonical_lga(state, raw_lga) if raw_lga else ""
        if lga is None:
            errors["areas"] = [f"{raw_lga:.60} is not an LGA of {state}."]
            return []
        if {"state": state, "lga": lga} not in cleaned:
            cleaned.append({"state": state, "lga": lga})
    return sorted(cleaned, key=lambda area: (area["state"], area["lga"]))


def pod_settings_update(*, store: Store, **changes: Any) -> PodSettings:
    """Change a store's pay-on-delivery settings; anything invalid changes nothing (400).

    A percentage deposit is 1 to 99 % of the total; a fixed one at least ₦500. Turning pay on
    delivery on needs at least one state.
    """
    current = pod.pod_settings_for(store) or PodSettings(store=store)
    allowed = {"enabled", "areas", "deposit_kind", "deposit_value", "refund_policy", "refund_keep_percent"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput({sorted(unknown)[0]: ["Unknown setting."]})
    errors: dict[str, list[str]] = {}
    values = {name: getattr(current, name) for name in allowed}
    if "enabled" in changes:
        values["enabled"] = bool(changes["enabled"])
    if "areas" in changes:
        values["areas"] = _clean_areas(changes["areas"], errors)
    if "deposit_kind" in changes:
        if changes["deposit_kind"] not in DepositKind.values:
            errors["deposit_kind"] = ["Choose percent or fixed."]
        values["deposit_kind"] = changes["deposit_kind"]
    if "deposit_value" in changes:
        values["deposit_value"] = _decimal(changes["deposit_value"], "deposit_value", errors)
    if "refund_policy" in changes:
        if changes["refund_policy"] not in RefundPolicy.values:
            errors["refund_policy"] = ["Choose full, keep_deposit or keep_percent."]
        values["refund_policy"] = changes["refund_policy"]
    if "refund_keep_percent" in changes:
        values["refund_keep_percent"] = _decimal(
            changes["refund_keep_percent"], "refund_keep_percent", errors
        )
    value = values["deposit_value"]
    if "deposit_value" not in errors and "deposit_kind" not in errors and value is not None:
        if (
            values["deposit_kind"] == DepositKind.PERCENT
            and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]
        ):
            errors["deposit_value"] = ["A percentage deposit is from 1 to 99."]
        elif values["deposit_kind"] == DepositKind.FIXED and not pod.DEPOSIT_MINIMUM <= value < Decimal(
            "1e10"
        ):
            errors["deposit_value"] = [f"A fixed deposit is at least {naira(pod.DEPOSIT_MINIMUM)}."]
        elif value != to_kobo(value):  # more than two decimal places
            errors["deposit_value"] = ["Use at most two decimal places."]
    keep = values["refund_keep_percent"]
    keep_checked = (
        values["refund_policy"] == RefundPolicy.KEEP_PERCENT and "refund_keep_percent" not in errors
    )
    if keep_checked and (
        keep is None or not KEEP_PERCENT_RANGE[0] <= keep <= KEEP_PERCENT_RANGE[1] or keep != to_kobo(keep)
    ):
        errors["refund_keep_percent"] = ["The share kept is from 1 to 90 percent."]
    if values["enabled"] and not values["areas"] and "areas" not in errors:
        errors["areas"] = ["Choose at least one state where you take pay on delivery."]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        settings, _created = PodSettings.objects.select_for_update().get_or_create(store=store)
        for name, value in values.items():
            setattr(settings, name, value)
        if settings.refund_policy != RefundPolicy.KEEP_PERCENT:
            settings.refund_keep_percent = Decimal("0")
        settings.save()
    return settings


PAY_ON_DELIVERY = "pay_on_delivery"
PAYMENT_PLANS = ("pay_now", PAY_ON_DELIVERY)


def clean_payment_plan(value: object) -> bool:
    """True for pay on delivery; "pay_now" or nothing is the usual full payment."""
    if value in (None, "", "pay_now"):
        return False
    if value == PAY_ON_DELIVERY:
        return True
    raise InvalidCheckout(
        "Choose pay_now or pay_on_delivery.",
        code="validation_error",
        details={"payment_plan": "Choose pay_now or pay_on_delivery."},
    )


def plan_create(
    *, order: Order, state: str | None, lga: str | None, method: str, expected_deposit: Decimal | None = None
) -> OrderPaymentPlan:
    """Inside order_place, after the totals: the order pays a deposit now, the rest at the door.

    Refused (400, and the caller's transaction writes nothing) where the store does not offer it,
    or when `expected_deposit` (what the shopper was shown) is not the deposit computed now.
    """
    settings = pod.pod_settings_for(order.store)
    offer = pod.pod_offer(settings, total=order.total, state=state, lga=lga, method=method)
    if offer is None or not offer.offered or settings is None:
        reason = (
            offer.reason
            if offer is not None and offer.reason
            else "This store does not take pay on delivery."
        )
        raise InvalidCheckout(reason, code="pay_on_delivery_unavailable", details={"payment_plan": reason})
    assert offer.split is not None  # for mypy: offered means split
    if expected_deposit is not None and expected_deposit != offer.split.deposit:
        message = f"The deposit is now {naira(offer.split.deposit)}, not {naira(expected_deposit)}."
        raise InvalidCheckout(message, code="deposit_mismatch", details={"deposit": str(offer.split.deposit)})
    return OrderPaymentPlan.objects.create(
        order=order,
        deposit_amount=offer.split.deposit,
        balance_amount=offer.split.balance,
        refund_policy=settings.refund_policy,
        refund_keep_percent=settings.refund_keep_percent,
    )


def plan_for(order: Order) -> OrderPaymentPlan | None:
    return OrderPaymentPlan.objects.filter(order_id=order.pk).first()


def order_deposit_paid(*, order_id: str) -> bool:
    """The deposit arrived (called under the payment's lock): the pending order is confirmed.

    Its stock, held since checkout as for every order, is now the shopper's: an expiring
    deposit gave it back, a paid one keeps it. True the first time; a repeat does nothing.
    """
    with transaction.atomic():
        order = locks.order_lock(order_id)
        plan = locks.payment_plan_lock(order_id)
        if plan.deposit_paid_at is not None:
            return False
        plan.deposit_paid_at = timezone.now()
        plan.save(update_fields=["deposit_paid_at"])
        recovery_note_paid(order=order)
        if order.status == OrderStatus.PENDING:
            order_transition(
                order=order,
                to_status=OrderStatus.CONFIRMED,
                note=(
                    f"Deposit of {naira(plan.deposit_amount)} received; "
                    f"{naira(plan.balance_amount)} due on delivery."
                ),
                customer_message=(
                    f"Deposit of {naira(plan.deposit_amount)} received. "
                    f"{naira(plan.balance_amount)} is due on delivery."
                ),
            )
    return True


def order_balance_check(*, order: Order) -> OrderPaymentPlan:
    """The plan of a locked order whose balance can still be collected, or a refusal (409)."""
    plan = locks.payment_plan_lock(order.pk) if plan_for(order) else None
    if plan is None:
        raise Conflict("This order is not pay on delivery.", code="not_pay_on_delivery")
    if order.status == OrderStatus.CANCELLED:
        raise Conflict("This order was cancelled.")
    if plan.deposit_paid_at is None:
        raise Conflict("The deposit has not been paid yet.", code="deposit_unpaid")
    return plan


def order_balance_paid(*, order_id: str, method: str, actor: User | None = None) -> bool:
    """The balance was collected (cash recorded by the merchant, or a transfer Monnify confirmed):
    the order is fully paid. True the first time; a repeat (a double tap, a redelivered
    webhook) does nothing and changes nothing."""
    with transaction.atomic():
        order = locks.order_lock(order_id)
        plan = locks.payment_plan_lock(order_id)
        if plan.balance_paid_at is not None:
            return False
        plan.balance_paid_at = timezone.now()
        plan.balance_method = method
        plan.balance_recorded_by = actor
        plan.save(update_fields=["balance_paid_at", "balance_method", "balance_recorded_by"])
        how = "in cash" if method == BalanceMethod.CASH else "by transfer"
        OrderEvent.objects.create(
            order=order,
            status=order.status or OrderStatus.CONFIRMED,
            note=f"Balance of {naira(plan.balance_amount)} collected {how}.",
            customer_message=f"Balance of {naira(plan.balance_amount)} received. Your order is fully paid.",
            actor=actor,
        )
        if order.payment_status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            order_mark_paid(order_id=order.pk)
        transaction.on_commit(lambda: messages.send_balance_paid(order_id=order_id), robust=True)
    return True


def plan_note_balance_reference(*, order: Order, reference: str) -> None:
    """The Monnify account opened at the door for this (locked) order's balance."""
    OrderPaymentPlan.objects.filter(order_id=order.pk).update(balance_reference=reference)
