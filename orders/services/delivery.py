"""A store's delivery settings and per-state (or per-LGA) delivery rates."""

from typing import Any

from django.db import IntegrityError, transaction

from config.errors import Conflict, ServiceError
from config.money import money_input
from orders import geography
from orders.models import (
    DeliveryRate,
    DeliverySettings,
)
from stores.models import Store


def delivery_settings_update(
    *, store: Store, default_fee: Any, free_pickup: bool, free_delivery_threshold: Any
) -> DeliverySettings:
    with transaction.atomic():
        settings_row, _created = DeliverySettings.objects.select_for_update().get_or_create(store=store)
        settings_row.default_fee = money_input(default_fee, "default_fee")
        settings_row.free_pickup = bool(free_pickup)
        settings_row.free_delivery_threshold = (
            None
            if free_delivery_threshold in (None, "")
            else money_input(free_delivery_threshold, "free_delivery_threshold")
        )
        settings_row.save()
    return settings_row


def _rate_place(state: str, lga: str | None) -> tuple[str, str]:
    canonical_state = geography.canonical_state(state or "")
    if canonical_state is None:
        raise ServiceError(f"{state!r} is not a Nigerian state.", details={"state": "Unknown state."})
    if not lga:
        return canonical_state, ""
    canonical_lga = geography.canonical_lga(canonical_state, lga)
    if canonical_lga is None:
        raise ServiceError(f"{lga!r} is not an LGA of {canonical_state}.", details={"lga": "Unknown LGA."})
    return canonical_state, canonical_lga


def delivery_rate_save(
    *, store: Store, state: str, lga: str | None, fee: Any, rate: DeliveryRate | None = None
) -> DeliveryRate:
    """Create a state's (or one LGA's) delivery fee, or change `rate`; one rate per state/LGA (409)."""
    canonical_state, canonical_lga = _rate_place(state, lga)
    amount = money_input(fee, "fee")
    rate = rate or DeliveryRate(store=store)
    rate.state, rate.lga, rate.fee = canonical_state, canonical_lga, amount
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError:
        where = f"{canonical_lga}, {canonical_state}" if canonical_lga else canonical_state
        raise Conflict(f"There is already a delivery rate for {where}.") from None
    return rate


def delivery_rate_set(*, store: Store, state: str, lga: str | None, fee: Any) -> DeliveryRate:
    """The fee to this state (or LGA), whether or not it had one: the dashboard's "add or change"."""
    canonical_state, canonical_lga = _rate_place(state, lga)
    amount = money_input(fee, "fee")
    with transaction.atomic():
        rate, _created = DeliveryRate.objects.update_or_create(
            store=store, state=canonical_state, lga=canonical_lga, defaults={"fee": amount}
        )
    return rate


def delivery_rate_delete(*, rate: DeliveryRate) -> None:
    with transaction.atomic():
        rate.delete()
