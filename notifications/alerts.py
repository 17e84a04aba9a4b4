"""A merchant's alerts: which of the bell, email and SMS each kind of event reaches, and the
daily summary. The apps that raise alerts (orders, payments) ask `alert_channels` and pass the
answer to notification_send and to the bell; the account-wide switches in UserSettings
(email_notifications, sms_notifications and the category ones) still apply on top.

The defaults are what merchants got before alerts were configurable, so an account that never
opened the page sees no change.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from config.errors import ServiceError

# The module, not its names: services imports tasks, which imports this module.
from notifications import services
from notifications.models import AlertKind, AlertSettings, Category, Channel, Notification

BELL = "bell"
CHOICES = (BELL, Channel.EMAIL, Channel.SMS)
DEFAULT_CHANNELS: dict[str, tuple[str, ...]] = {
    AlertKind.NEW_ORDER: (BELL, Channel.EMAIL),
    AlertKind.PAYMENT_RECEIVED: (BELL, Channel.EMAIL, Channel.SMS),
    AlertKind.PAYMENT_FLAGGED: (BELL,),
    AlertKind.LOW_STOCK: (BELL, Channel.EMAIL),
    AlertKind.SOLD_OUT: (BELL, Channel.EMAIL),
    AlertKind.PAYOUT_SENT: (BELL, Channel.EMAIL),
    AlertKind.PAYOUT_FAILED: (BELL, Channel.EMAIL),
    AlertKind.REFUND_OUTCOME: (BELL,),
}
SUMMARY_HOUR = 7  # local time: the summary of yesterday arrives before the shop opens


class InvalidAlertSettings(ServiceError):
    code = "invalid_alert_settings"


def alert_settings_for(user) -> AlertSettings:
    return AlertSettings.objects.filter(user=user).first() or AlertSettings(user=user)


def alert_channels(user, kind: str) -> set[str]:
    """The channels `user` chose for `kind` (a subset of bell, email, sms)."""
    chosen = alert_settings_for(user).channels.get(kind)
    return set(DEFAULT_CHANNELS[kind] if chosen is None else chosen)


def alert_delivery_channels(user, kind: str) -> tuple[str, ...]:
    """The email/SMS channels for notification_send, in a stable order."""
    chosen = alert_channels(user, kind)
    return tuple(channel for channel in (Channel.EMAIL, Channel.SMS) if channel in chosen)


def alert_bell(
    *, user, kind: str, title: str, body: str, link: str, idempotency_key: str | None = None
) -> Notification | None:
    """The bell entry for an alert, if the merchant wants it: once per `idempotency_key` when the
    event has one, otherwise at most once per (user, title, link)."""
    if BELL not in alert_channels(user, kind):
        return None
    if idempotency_key is not None:
        return services.notification_create(
            user=user, title=title, body=body, link=link, idempotency_key=idempotency_key
        )
    with transaction.atomic():
        if Notification.objects.filter(user=user, title=title[:255], link=link[:500]).exists():
            return None
        return services.notification_create(user=user, title=title, body=body, link=link)


def alert_settings_update(*, user, channels: dict, daily_summary: bool) -> AlertSettings:
    """Replace the merchant's choices; an unknown kind or channel changes nothing (400)."""
    unknown_kinds = set(channels) - set(AlertKind.values)
    if unknown_kinds:
        raise InvalidAlertSettings(f"Unknown alert {sorted(unknown_kinds)[0]!r}.")
    cleaned = {}
    for kind, chosen in channels.items():
        if not isinstance(chosen, list | tuple | set) or set(chosen) - set(CHOICES):
            raise InvalidAlertSettings(
                f"Alerts for {kind} go to any of bell, email and sms.", details={"kind": kind}
            )
        cleaned[kind] = [channel for channel in CHOICES if channel in chosen]
    with transaction.atomic():
        row, _created = AlertSettings.objects.select_for_update().get_or_create(user=user)
        row.channels = cleaned
        row.daily_summary = bool(daily_summary)
        row.save()
    return row


def alert_daily_summaries_send(*, now: datetime | None = None) -> int:
    """Each merchant who asked for it gets one email about yesterday's alerts, after SUMMARY_HOUR.

    The idempotency key names the merchant and the day, so the hourly beat, a retry or two
    workers at once send it once. A day without alerts sends nothing.
    """
    now = timezone.localtime(now or timezone.now())
    if now.hour < SUMMARY_HOUR:
        return 0
    day = now.date() - timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, zone)
    end = start + timedelta(days=1)
    sent = 0
    for row in AlertSettings.objects.filter(daily_summary=True).select_related("user"):
        alerts = list(
            Notification.objects.filter(user=row.user, created_at__gte=start, created_at__lt=end).order_by(
                "created_at", "id"
            )[:100]
        )
        if not alerts:
            continue
        logs = services.notification_send(
            template="daily_summary",
            context={"name": row.user.get_short_name(), "day": day, "alerts": alerts, "count": len(alerts)},
            channels=(Channel.EMAIL,),
            user=row.user,
            category=Category.ACCOUNT,
            idempotency_key=f"daily-summary:{row.user_id}:{day.isoformat()}",
        )
        sent += bool(logs)
    return sent
