"""How a booking reads to the shopper (its page, the confirmation email and SMS): the day,
time, length and place of the appointment, in Lagos time."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from orders.models import Booking
from stores.opening_hours import booking_address
from stores.presentation import minutes_label

# Nigeria keeps West Africa Time all year (no daylight saving), so a wall-clock time on a
# date is always one instant.
LAGOS = ZoneInfo("Africa/Lagos")


def day_label(date: datetime.date) -> str:
    """Like "Tuesday 8 December" (strftime's %-d is not portable)."""
    return f"{date:%A} {date.day} {date:%B}"


@dataclass(frozen=True)
class Appointment:
    service: str
    date: str  # Tuesday 8 December 2026
    short_date: str  # Tue 8 Dec, for the SMS
    time: str  # 10:00
    ends: str  # 12:00
    duration: str  # 2 h
    address: str


def appointment_for_order(order) -> Appointment | None:
    """The appointment an order holds, or None for an ordinary order."""
    booking = Booking.objects.filter(order=order).first()
    if booking is None:
        return None
    starts, ends = booking.starts_at.astimezone(LAGOS), booking.ends_at.astimezone(LAGOS)
    items = order.items if isinstance(order.items, list) else []
    service = items[0].get("product_name", "") if items and isinstance(items[0], dict) else ""
    return Appointment(
        service=service,
        date=f"{day_label(starts.date())} {starts.year}",
        short_date=f"{starts:%a} {starts.day} {starts:%b}",
        time=f"{starts:%H:%M}",
        ends=f"{ends:%H:%M}",
        duration=minutes_label(booking.minutes),
        address=booking_address(store=order.store),
    )
