"""Appointments of bookings stores: the free slots of a day and placing a booking.

A slot is free when it lies within the store's opening hours that day (Lagos time), has not
started yet and overlaps no booking whose order is still standing (a cancelled or expired
order gives its time back). A booking is an order of one service placed through
`orders.services.order_place`, plus a `Booking` row holding its time. Two shoppers can never
hold overlapping times: bookings of a store are placed one at a time under a lock on the
store's row, and the overlap is checked under that lock.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from config.errors import Conflict, ServiceError
from orders.appointments import LAGOS, day_label
from orders.models import Booking, OrderStatus
from orders.pricing import DeliveryMethod
from orders.services import order_place
from stores.models import Store, StoreTemplate
from stores.opening_hours import opening_hours_week
from stores.presentation import product_duration_minutes, stock_state

SLOT_STEP = datetime.timedelta(minutes=30)
BOOKING_DAYS_AHEAD = 90
# A service whose merchant has not set a duration yet is booked for an hour.
DEFAULT_SERVICE_MINUTES = 60


class SlotUnavailable(ServiceError):
    code = "slot_unavailable"


class SlotTaken(Conflict):
    code = "slot_taken"


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    taken: bool

    @property
    def time(self) -> str:
        return f"{self.starts_at:%H:%M}"


def service_minutes(product: Product) -> int:
    return product_duration_minutes(product) or DEFAULT_SERVICE_MINUTES


def now_in_lagos() -> datetime.datetime:
    return timezone.now().astimezone(LAGOS)


def booking_window(*, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day a shopper may book."""
    today = today or now_in_lagos().date()
    return today, today + datetime.timedelta(days=BOOKING_DAYS_AHEAD)


def _at(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(date, time, tzinfo=LAGOS)


def day_slots(*, store: Store, date: datetime.date, minutes: int) -> list[Slot]:
    """Every start time of a `minutes`-long service on `date` that has not passed, every
    SLOT_STEP from opening time while the service ends by closing time; `taken` when it
    overlaps a standing booking. A closed day has none."""
    hours = opening_hours_week(store=store)[date.weekday()]
    if hours.opens_at is None or hours.closes_at is None:  # closed that day
        return []
    opens, closes = _at(date, hours.opens_at), _at(date, hours.closes_at)
    length = datetime.timedelta(minutes=minutes)
    booked = list(
        Booking.objects.filter(store=store, starts_at__lt=closes, ends_at__gt=opens)
        .exclude(order__status=OrderStatus.CANCELLED)
        .values_list("starts_at", "ends_at")
    )
    now = now_in_lagos()
    slots = []
    start = opens
    while start + length <= closes:
        end = start + length
        if start > now:
            taken = any(other_start < end and other_end > start for other_start, other_end in booked)
            slots.append(Slot(start, end, taken))
        start += SLOT_STEP
    return slots


def bookable_services(*, store: Store) -> list[Product]:
    """The store's services a shopper can book now: shown, not deleted, not sold out."""
    services = Product.objects.filter(store=store, is_active=True, deleted_at__isnull=True).select_related(
        "service_duration"
    )
    return [service for service in services.order_by("name", "id") if stock_state(service).available]


def _check_slot(*, store: Store, service: Product, date: datetime.date, time: str) -> datetime.datetime:
    first, last = booking_window()
    if date < first:
        raise SlotUnavailable("Choose today or a later date.", details={"date": "In the past."})
    if date > last:
        raise SlotUnavailable(
            f"Bookings open up to {BOOKING_DAYS_AHEAD} days ahead.", details={"date": "Too far ahead."}
        )
    slots = {slot.time: slot for slot in day_slots(store=store, date=date, minutes=service_minutes(service))}
    if not slots and opening_hours_week(store=store)[date.weekday()].closed:
        raise SlotUnavailable(
            f"{store.display_name} is closed on {date:%A}s: choose another day.", details={"date": "Closed."}
        )
    slot = slots.get(time)
    if slot is None:
        starts_at = _parse_time(date, time)
        if starts_at is not None and starts_at <= now_in_lagos():
            raise SlotUnavailable("That time has passed: choose a later one.", details={"time": "Past."})
        raise SlotUnavailable(
            f"{time} is not a time {store.display_name} offers on {day_label(date)}: choose a free time.",
            details={"time": "Not offered."},
        )
    return slot.starts_at


def _parse_time(date, time) -> datetime.datetime | None:
    try:
        return _at(date, datetime.time.fromisoformat(time))
    except (TypeError, ValueError):
        return None


def booking_place(
    *, store: Store, service_id: str, date: datetime.date, time: str, customer: dict, idempotency_key: str
) -> Booking:
    """Book `service_id` at `time` ("HH:MM", Lagos) on `date` for `customer` (order_place's
    customer fields). The same key with the same details gives back the same booking.

    Raises SlotUnavailable (400) for a time outside the opening hours, in the past or off the
    grid, SlotTaken (409) when another booking holds it, and order_place's errors (a sold-out
    or hidden service); any failure writes nothing.
    """
    if store.template_id != StoreTemplate.BOOKINGS:
        raise SlotUnavailable("This store does not take bookings.", code="not_bookable")
    service = (
        Product.objects.filter(store=store, pk=str(service_id), deleted_at__isnull=True)
        .select_related("service_duration")
        .first()
    )
    if service is None:
        raise SlotUnavailable("Choose one of the store's services.", details={"service": "Unknown."})
    _check_slot(store=store, service=service, date=date, time=time)
    starts_at = _at(date, datetime.time.fromisoformat(time))
    ends_at = starts_at + datetime.timedelta(minutes=service_minutes(service))
    with transaction.atomic():
        # One booking of this store at a time, so the overlap check below sees every other
        # booking that committed first. The store row is locked only here and by the
        # merchant's own store edits.
        Store.objects.select_for_update().filter(pk=store.pk).values_list("pk", flat=True).first()
        order = order_place(
            store=store,
            customer=customer,
            lines=[{"product_id": service.pk, "quantity": 1}],
            idempotency_key=idempotency_key,
            delivery_method=DeliveryMethod.PICKUP,
            booking_slot={"Date": date.isoformat(), "Time": time},
        )
        existing = Booking.objects.filter(order=order).first()
        if existing is not None:
            return existing  # the same form sent twice
        # A locking read sees the latest committed bookings even if this transaction's
        # snapshot is older (InnoDB's REPEATABLE READ).
        clash = (
            Booking.objects.select_for_update()
            .filter(store=store, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(order__status=OrderStatus.CANCELLED)
            .values_list("pk", flat=True)
            .first()
            is not None
        )
        if clash:
            raise SlotTaken(
                f"Someone has just booked {time} on {day_label(date)}. Choose another time.",
                details={"time": "Taken."},
            )
        return Booking.objects.create(
            store=store, order=order, product=service, starts_at=starts_at, ends_at=ends_at
        )
