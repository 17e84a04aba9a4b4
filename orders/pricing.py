"""Order totals, exactly as DESIGN.md ("Money, fees, orders") defines them.

Every function works on Decimals and rounds half up to the kobo once, at the end of its
own computation; the inputs (prices, fees, coupon values) are already in kobo.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from config.money import ZERO, naira, to_kobo
from orders.models import Coupon, CouponKind, DeliverySettings

HUNDRED = Decimal(100)


class DeliveryMethod:
    DELIVERY = "delivery"
    PICKUP = "pickup"
    CHOICES = [(DELIVERY, "Delivery to my address"), (PICKUP, "Pickup from the store")]


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    shipping_fee: Decimal
    agm_fee: Decimal
    total: Decimal

    @property
    def customer_fee(self) -> Decimal:
        """The platform fee inside `total` (0 when the merchant bears it)."""
        return to_kobo(self.total - (self.subtotal - self.discount + self.shipping_fee))


def lines_subtotal(lines: list[tuple[Decimal, int]]) -> Decimal:
    """The sum of price * quantity for (unit price, quantity) pairs."""
    return to_kobo(sum((Decimal(price) * quantity for price, quantity in lines), ZERO))


def coupon_problem(coupon: Coupon, *, subtotal: Decimal, now=None) -> str | None:
    """Why this coupon cannot apply to this subtotal right now (usage limits aside), or None."""
    now = now or timezone.now()
    if not coupon.is_active:
        return f"The coupon {coupon.code} is no longer active."
    if coupon.starts_at and now < coupon.starts_at:
        return f"The coupon {coupon.code} is not valid yet."
    if coupon.ends_at and now >= coupon.ends_at:
        return f"The coupon {coupon.code} has expired."
    if subtotal < coupon.minimum_order:
        return f"The coupon {coupon.code} needs an order of at least {naira(coupon.minimum_order)}."
    return None


def coupon_discount(coupon: Coupon | None, *, subtotal: Decimal) -> Decimal:
    """The discount on the subtotal; never more than the subtotal itself."""
    if coupon is None:
        return ZERO
    if coupon.kind == CouponKind.PERCENTAGE:
        discount = Decimal(subtotal) * Decimal(coupon.value) / HUNDRED
    else:
        discount = Decimal(coupon.value)
    return to_kobo(min(discount, Decimal(subtotal)))


def shipping_fee(
    *,
    delivery_settings: DeliverySettings | None,
    rates: dict[tuple[str, str], Decimal],
    state: str | None,
    lga: str | None,
    method: str,
    goods_amount: Decimal,
) -> Decimal | None:
    """The delivery fee, or None when the store does not offer this delivery method.

    `rates` maps (state, lga) to a fee, with lga "" for a state-wide rate. An LGA's rate
    overrides its state's, which overrides the store's default fee. Delivery is free once
    `goods_amount` (the subtotal after discount) reaches the store's threshold.
    """
    free_pickup = delivery_settings.free_pickup if delivery_settings else True
    if method == DeliveryMethod.PICKUP:
        return ZERO if free_pickup else None
    fee = rates.get((state or "", lga or ""))
    if fee is None:
        fee = rates.get((state or "", ""))
    if fee is None:
        fee = delivery_settings.default_fee if delivery_settings else ZERO
    threshold = delivery_settings.free_delivery_threshold if delivery_settings else None
    if threshold is not None and goods_amount >= threshold:
        return ZERO
    return to_kobo(fee)


def order_totals(
    *,
    subtotal: Decimal,
    discount: Decimal = ZERO,
    shipping: Decimal = ZERO,
    fee_percentage: Decimal | None = None,
    fee_bearer: str | None = None,
) -> Totals:
    """subtotal - discount + shipping, plus the platform fee when the customer bears it."""
    fee_percentage = settings.AGM_FEE_PERCENTAGE if fee_percentage is None else fee_percentage
    fee_bearer = fee_bearer or settings.AGM_FEE_BEARER
    agm_fee = to_kobo(Decimal(subtotal) * Decimal(fee_percentage) / HUNDRED)
    total = Decimal(subtotal) - Decimal(discount) + Decimal(shipping)
    if fee_bearer == "customer":
        total += agm_fee
    return Totals(
        subtotal=to_kobo(subtotal),
        discount=to_kobo(discount),
        shipping_fee=to_kobo(shipping),
        agm_fee=agm_fee,
        total=to_kobo(total),
    )


def checkout_totals(
    *,
    subtotal: Decimal,
    coupon: Coupon | None,
    delivery_settings: DeliverySettings | None,
    rates: dict[tuple[str, str], Decimal],
    state: str | None,
    lga: str | None,
    method: str,
) -> Totals | None:
    """The whole checkout computation: discount, delivery fee, platform fee, total.

    The checkout page's breakdown and order placement both call this, so what a shopper is
    shown is what they are charged. None when the store does not offer `method`.
    """
    discount = coupon_discount(coupon, subtotal=subtotal)
    shipping = shipping_fee(
        delivery_settings=delivery_settings,
        rates=rates,
        state=state,
        lga=lga,
        method=method,
        goods_amount=subtotal - discount,
    )
    if shipping is None:
        return None
    return order_totals(subtotal=subtotal, discount=discount, shipping=shipping)


def fee_charged_to_customer(order) -> Decimal:
    """The platform fee the shopper paid on top of the goods and delivery (0 when the merchant bore it).

    Read from the order's own figures, so it stays right for orders placed before a change
    of AGM_FEE_BEARER.
    """
    goods_and_delivery = order.subtotal - (order.discount or ZERO) + (order.shipping_fee or ZERO)
    return order.agm_fee if order.agm_fee and order.total - goods_and_delivery == order.agm_fee else ZERO
