"""A store's coupons: the merchant's edits, and the lock and release a checkout takes."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from config.errors import Conflict, ServiceError
from config.money import money_input
from orders import locks, pricing
from orders.models import (
    Coupon,
    CouponKind,
    CouponRedemption,
    Order,
)
from orders.services.checkout import CouponUnavailable
from stores.models import Store


def coupon_lock_for_checkout(
    *, store: Store, code: str | None, subtotal: Decimal, phone: str
) -> Coupon | None:
    """The checkout's coupon, locked and checked (validity, usage limits); None without a code."""
    if not code:
        return None
    coupon = locks.coupon_lock(store=store, code=code)
    if coupon is None:
        raise CouponUnavailable(f"There is no coupon {code} in this store.", details={"coupon": code})
    problem = pricing.coupon_problem(coupon, subtotal=subtotal)
    if problem:
        raise CouponUnavailable(problem, details={"coupon": code})
    if coupon.usage_limit is not None and coupon.used_count >= coupon.usage_limit:
        raise CouponUnavailable(f"The coupon {code} has been used up.", details={"coupon": code})
    if coupon.per_customer_limit is not None:
        used = CouponRedemption.objects.filter(coupon=coupon, customer_phone=phone).count()
        if used >= coupon.per_customer_limit:
            raise CouponUnavailable(
                f"You have already used the coupon {code} as often as it allows.", details={"coupon": code}
            )
    return coupon


COUPON_FIELDS = (
    "code",
    "kind",
    "value",
    "minimum_order",
    "starts_at",
    "ends_at",
    "usage_limit",
    "per_customer_limit",
    "is_active",
)


def coupon_save(*, store: Store, data: dict[str, Any], coupon: Coupon | None = None) -> Coupon:
    coupon = coupon or Coupon(store=store)
    for field in COUPON_FIELDS:
        if field in data:
            setattr(coupon, field, data[field])
    coupon.code = (coupon.code or "").strip().upper()
    if not coupon.code or len(coupon.code) > 40 or not all(ch.isalnum() or ch in "-_" for ch in coupon.code):
        raise ServiceError("A coupon code has 1 to 40 letters, digits, - or _.", details={"code": "Invalid."})
    if coupon.kind not in CouponKind.values:
        raise ServiceError("A coupon is a percentage or a fixed amount.", details={"kind": "Invalid."})
    coupon.value = money_input(coupon.value, "value")
    if coupon.value <= 0 or (coupon.kind == CouponKind.PERCENTAGE and coupon.value > 100):
        raise ServiceError(
            "A percentage is between 0 and 100; an amount is more than 0.", details={"value": "Out of range."}
        )
    coupon.minimum_order = money_input(coupon.minimum_order or 0, "minimum_order")
    if coupon.starts_at and coupon.ends_at and coupon.ends_at <= coupon.starts_at:
        raise ServiceError("The coupon must end after it starts.", details={"ends_at": "Before the start."})
    try:
        with transaction.atomic():
            coupon.save()
    except IntegrityError:
        raise Conflict(
            f"This store already has a coupon {coupon.code}.", details={"code": "Taken."}
        ) from None
    return coupon


def coupon_delete(*, coupon: Coupon) -> None:
    """Delete an unused coupon; one that was redeemed is only deactivated (orders refer to it)."""
    with transaction.atomic():
        if coupon.redemptions.exists():
            coupon.is_active = False
            coupon.save(update_fields=["is_active", "updated_at"])
        else:
            coupon.delete()


def coupon_release(order: Order) -> None:
    """Give back the coupon use of a locked order that is cancelled or expired."""
    redemption = CouponRedemption.objects.filter(order=order).first()
    if redemption:
        coupon = locks.coupon_lock_by_id(redemption.coupon_id)
        Coupon.objects.filter(pk=coupon.pk).update(used_count=max(coupon.used_count - 1, 0))
        redemption.delete()
