"""A bookings store's week: opening hours per weekday, closed days and the appointment
address. The free slots of a day are computed from these in orders/bookings.py."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from config.errors import ServiceError
from stores.models import BookingSettings, OpeningHours, Store, Weekday
from stores.storefront_cache import storefront_cache_bump

ADDRESS_MAX_LENGTH = 255
# Until the merchant sets their week: Monday to Saturday, 9 to 5 (what the storefront offered
# before opening hours existed), closed on Sunday.
DEFAULT_OPENS = datetime.time(9, 0)
DEFAULT_CLOSES = datetime.time(17, 0)
DEFAULT_CLOSED_DAYS = frozenset({Weekday.SUNDAY})


class OpeningHoursInvalid(ServiceError):
    """One or more days are wrong; `details` maps each weekday's field name to its message."""

    code = "validation_error"


@dataclass(frozen=True)
class DayHours:
    weekday: int
    opens_at: datetime.time | None
    closes_at: datetime.time | None

    @property
    def closed(self) -> bool:
        return self.opens_at is None

    @property
    def label(self) -> str:
        return Weekday(self.weekday).label


def opening_hours_week(*, store: Store) -> list[DayHours]:
    """Monday to Sunday, the store's own hours or the defaults for the days it never set."""
    rows = {row.weekday: row for row in OpeningHours.objects.filter(store=store)}
    week = []
    for weekday in Weekday.values:
        row = rows.get(weekday)
        if row is not None:
            week.append(DayHours(weekday, row.opens_at, row.closes_at))
        elif weekday in DEFAULT_CLOSED_DAYS:
            week.append(DayHours(weekday, None, None))
        else:
            week.append(DayHours(weekday, DEFAULT_OPENS, DEFAULT_CLOSES))
    return week


def booking_address(*, store: Store) -> str:
    settings_row = BookingSettings.objects.filter(store=store).first()
    return settings_row.address if settings_row else ""


def opening_hours_set(*, store: Store, days: dict[int, tuple], address: str) -> list[DayHours]:
    """Replace the store's week. `days` maps every weekday (0 = Monday) to (opens_at,
    closes_at) as `datetime.time`, or (None, None) for a closed day. The caller has checked
    that `store` is the merchant's own. Raises OpeningHoursInvalid and writes nothing when a
    day is wrong."""
    errors: dict[str, str] = {}
    if set(days) != set(Weekday.values):
        raise OpeningHoursInvalid("Give the hours of every day, Monday to Sunday.")
    for weekday, (opens_at, closes_at) in days.items():
        name = Weekday(weekday).label
        if (opens_at is None) != (closes_at is None):
            errors[f"day{weekday}"] = (
                f"{name}: give both the opening and the closing time, or mark it closed."
            )
        elif opens_at is not None and opens_at >= closes_at:
            errors[f"day{weekday}"] = f"{name}: the closing time must be after the opening time."
    address = (address or "").strip()
    if len(address) > ADDRESS_MAX_LENGTH:
        errors["address"] = f"Use at most {ADDRESS_MAX_LENGTH} characters for the address."
    if errors:
        raise OpeningHoursInvalid(next(iter(errors.values())), details=errors)
    with transaction.atomic():
        OpeningHours.objects.filter(store=store).delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(store=store, weekday=weekday, opens_at=opens_at, closes_at=closes_at)
            for weekday, (opens_at, closes_at) in sorted(days.items())
        )
        BookingSettings.objects.update_or_create(store=store, defaults={"address": address})
        # The hours are on the store's home page and book page.
        storefront_cache_bump(store.pk)
    return opening_hours_week(store=store)
