"""Reporting periods: Lagos calendar days, the previous period of the same length, and the
buckets (day, week, month) a chart groups them into."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from config.errors import ServiceError

LAGOS = ZoneInfo("Africa/Lagos")
# Long enough for two years side by side; a longer custom range is refused, not truncated.
MAX_DAYS = 731

PERIODS = {
    "today": "Today",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "this_month": "This month",
    "last_month": "Last month",
    "this_year": "This year",
    "custom": "Custom range",
}
DEFAULT_PERIOD = "30d"
# The API's names (the original web client's) for the same periods.
API_PERIODS = {"today": "today", "week": "7d", "month": "30d", "year": "this_year", "custom": "custom"}
GROUPS = ("day", "week", "month")


class InvalidPeriod(ServiceError):
    code = "invalid_period"


@dataclass(frozen=True)
class Period:
    key: str
    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        if self.key != "custom":
            return PERIODS[self.key]
        return f"{self.first:%d %b %Y} to {self.last:%d %b %Y}"

    def previous(self) -> "Period":
        """The same number of days just before this period."""
        last = self.first - datetime.timedelta(days=1)
        return Period("custom", last - datetime.timedelta(days=self.days - 1), last)

    def default_group(self) -> str:
        if self.days <= 31:
            return "day"
        return "week" if self.days <= 183 else "month"


def lagos_today() -> datetime.date:
    return timezone.now().astimezone(LAGOS).date()


def lagos_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LAGOS).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """The instant a Lagos day begins (Lagos keeps UTC+1 all year)."""
    return datetime.datetime.combine(day, datetime.time.min, LAGOS)


def _date(value: object, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidPeriod(
            f"{field} must be a date written YYYY-MM-DD.", details={field: str(value or "")}
        ) from None


def period_resolve(
    key: str | None, *, first: object = None, last: object = None, today: datetime.date | None = None
) -> Period:
    """The period a merchant asked for; unknown names and bad ranges are refused (400)."""
    today = today or lagos_today()
    key = key or DEFAULT_PERIOD
    if key == "today":
        return Period(key, today, today)
    if key == "7d":
        return Period(key, today - datetime.timedelta(days=6), today)
    if key == "30d":
        return Period(key, today - datetime.timedelta(days=29), today)
    if key == "this_month":
        return Period(key, today.replace(day=1), today)
    if key == "last_month":
        last_day = today.replace(day=1) - datetime.timedelta(days=1)
        return Period(key, last_day.replace(day=1), last_day)
    if key == "this_year":
        return Period(key, today.replace(month=1, day=1), today)
    if key == "custom":
        first_day, last_day = _date(first, "from"), _date(last, "to")
        if first_day > last_day:
            raise InvalidPeriod("The start date is after the end date.", details={"from": str(first_day)})
        if (last_day - first_day).days + 1 > MAX_DAYS:
            raise InvalidPeriod(f"Choose at most {MAX_DAYS} days.", details={"to": str(last_day)})
        return Period(key, first_day, last_day)
    raise InvalidPeriod(
        f"Unknown period {key!r}; choose one of {', '.join(PERIODS)}.", details={"period": key}
    )


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=31)).replace(day=1)


def month_starts(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, first day of the next) of every calendar month the days first…last touch."""
    months, month = [], month_start(first)
    while month <= last:
        months.append((month, next_month(month)))
        month = next_month(month)
    return months


def whole_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the period's first and last whole calendar months, if it has any."""
    first = period.first if period.first.day == 1 else next_month(period.first)
    after = next_month(period.last)
    if after - datetime.timedelta(days=1) != period.last:
        after = month_start(period.last)
    if first >= after:
        return None
    return first, month_start(after - datetime.timedelta(days=1))


def bucket_start(day: datetime.date, group: str) -> datetime.date:
    if group == "week":
        return day - datetime.timedelta(days=day.weekday())  # weeks start on Monday
    if group == "month":
        return day.replace(day=1)
    return day


def buckets(period: Period, group: str) -> list[datetime.date]:
    """The first day of every bucket the period touches, in order (each chart point)."""
    if group not in GROUPS:
        raise InvalidPeriod(f"groupBy must be one of {', '.join(GROUPS)}.", details={"groupBy": group})
    starts: list[datetime.date] = []
    day = period.first
    while day <= period.last:
        start = bucket_start(day, group)
        if not starts or starts[-1] != start:
            starts.append(start)
        day += datetime.timedelta(days=1)
    return starts


def bucket_label(start: datetime.date, group: str) -> str:
    if group == "month":
        return f"{start:%b %Y}"
    return f"{start:%d %b}"
