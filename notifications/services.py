"""Every write of the notifications app: send a message on its channels, deliver it, re-send it,
and the merchant's in-dashboard notifications."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from config.errors import NotFound
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from notifications import tasks
from notifications.channels import DeliveryPermanentError, DeliveryTemporaryError, deliver_message
from notifications.models import Category, Channel, DeliveryLog, DeliveryStatus, Notification
from notifications.preferences import preferences_of
from notifications.rendering import render_email, render_sms
from outbox.services import outbox_enqueue

logger = logging.getLogger(__name__)

CATEGORY_SETTINGS: dict[str, str] = {
    Category.ORDER: "order_notifications",
    Category.PAYMENT: "payment_notifications",
    Category.PAYOUT: "payout_notifications",
    Category.MARKETING: "marketing_notifications",
}
CHANNEL_SETTINGS: dict[str, str] = {
    Channel.EMAIL: "email_notifications",
    Channel.SMS: "sms_notifications",
}

# One-time codes in security messages are never written to the delivery log: every admin
# reads it and it is kept long after the code matters. The log holds the message with each
# secret replaced by a placeholder (what admin shows); the real values wait in the cache,
# keyed by the log, and are put back only in memory when the message is handed to the
# provider. They outlive every retry but not the usefulness of a code: a re-send after
# SECRET_TTL fails with a clear error and the user asks for a new code.
SECRET_CONTEXT_KEYS = ("code",)
SECRET_TTL = timedelta(hours=2)
SECRETS_MISSING = "The one-time code is no longer kept (codes expire): not sent. The user can ask again."


# What a message is about: a model instance, or (app_label.model, id) when only the id is at hand.
Related = Model | tuple[str, object] | None
# `user` parameters are Any: the merchant is accounts.User, and accounts sits above this app.


def _secret_placeholder(key: str) -> str:
    return f"[{key} hidden]"


def notification_send(
    *,
    template: str,
    context: dict[str, Any],
    channels: tuple[str, ...],
    email: str | None = None,
    phone: str | None = None,
    user: Any = None,
    category: str,
    idempotency_key: str,
    related: Related = None,
) -> list[DeliveryLog]:
    """Record one DeliveryLog per channel the recipient accepts and queue its delivery.

    `user` is the merchant the message is for (their preferences apply; their email and
    phone fill in missing addresses); None means a shopper, who only gets transactional
    messages. A channel without an address is skipped. The same idempotency_key and channel
    again returns the existing log and sends nothing. An address that cannot be delivered to
    (malformed email, non-Nigerian phone) is recorded as failed and never sent.
    """
    if category not in Category.values:
        raise ValueError(f"Unknown notification category {category!r}")
    unknown = set(channels) - set(Channel.values)
    if unknown:
        raise ValueError(f"Unknown notification channels {sorted(unknown)}")
    if not idempotency_key:
        raise ValueError("An idempotency key is required")

    related_type, related_id = _related(related)
    secrets = {}
    if category == Category.SECURITY:
        secrets = {key: str(context[key]) for key in SECRET_CONTEXT_KEYS if context.get(key)}
        context = {**context, **{key: _secret_placeholder(key) for key in secrets}}
    logs = []
    with transaction.atomic():
        for channel in _accepted_channels(user=user, category=category, channels=channels):
            address = _address(channel=channel, email=email, phone=phone, user=user)
            if not address:
                continue
            existing = DeliveryLog.objects.filter(idempotency_key=idempotency_key, channel=channel).first()
            if existing is not None:
                logs.append(existing)
                continue
            log = DeliveryLog(
                channel=channel,
                category=category,
                user=user,
                template=template,
                idempotency_key=idempotency_key,
                related_type=related_type,
                related_id=related_id,
            )
            _address_and_content(log, address=address, template=template, context=context)
            try:
                with transaction.atomic():
                    log.save(force_insert=True)
            except IntegrityError:
                # The same event raced us between the lookup and the insert.
                raced = DeliveryLog.objects.select_for_update()
                logs.append(raced.get(idempotency_key=idempotency_key, channel=channel))
                continue
            if log.status == DeliveryStatus.QUEUED:
                if secrets:
                    _secrets_keep(log.id, secrets)
                _queue_delivery(log.id)
            logs.append(log)
    return logs


def delivery_attempt(*, log_id: str, final_attempt: bool) -> DeliveryLog | None:
    """Send a queued log once. Raises DeliveryTemporaryError when another attempt may succeed.

    No transaction is open while the provider is called (a slow provider must not hold a row
    lock and a connection for its whole timeout). Instead the worker first claims the log: one
    conditional UPDATE from queued to sending, committed at once. Two workers holding the same
    log (a redelivered task, a re-send racing a retry) cannot both win it, so it is sent once.
    A worker that dies after claiming leaves the log in sending; delivery_requeue_stale
    queues it again later.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = DeliveryLog.objects.filter(pk=log_id, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
    log = DeliveryLog.objects.filter(pk=log_id).first()
    if not claimed or log is None:
        return log

    retry_error = None
    outcome: dict[str, Any] = {
        "status": DeliveryStatus.SENT,
        "last_error": "",
        "provider_message_id": "",
        "sent_at": None,
    }
    try:
        problem = _recipient_problem(log.channel, log.recipient)
        if problem:
            raise DeliveryPermanentError(problem)
        outcome["provider_message_id"] = deliver_message(_with_secrets(log))
        outcome["sent_at"] = timezone.now()
    except DeliveryPermanentError as error:
        outcome.update(status=DeliveryStatus.FAILED, last_error=str(error))
    except DeliveryTemporaryError as error:
        # Back to queued for the task's retry (or failed on the last attempt).
        outcome.update(
            status=DeliveryStatus.FAILED if final_attempt else DeliveryStatus.QUEUED, last_error=str(error)
        )
        if not final_attempt:
            retry_error = error

    with transaction.atomic():
        DeliveryLog.objects.filter(pk=log_id, status=DeliveryStatus.SENDING).update(
            **outcome, updated_at=timezone.now()
        )
    for field, value in outcome.items():
        setattr(log, field, value)
    if log.status == DeliveryStatus.SENT:
        cache.delete(_secrets_key(log.id))  # a failed one may still be re-sent from admin
    if log.status == DeliveryStatus.FAILED:
        logger.warning("Delivery %s (%s) failed: %s", log.id, log.channel, log.last_error)
    if retry_error is not None:
        raise retry_error
    return log


def delivery_resend(*, log_ids: Iterable[str]) -> int:
    """Queue failed (or stuck queued) logs again; sent ones, and those being sent, are left
    alone. Returns how many."""
    return _requeue(log_ids=log_ids, statuses=[DeliveryStatus.FAILED, DeliveryStatus.QUEUED])


def delivery_requeue_stale(*, older_than: timedelta) -> int:
    """Queue again the logs still queued long after their last attempt (a lost task, a broker
    outage when the event committed), and those left in sending by a worker that died while
    calling the provider. Longer than a full retry schedule and any provider timeout, so a
    message only waiting for its next retry, or being sent right now, is left alone.

    A worker that died after the provider accepted the message but before recording it means
    that message goes out twice; the alternative is never sending it.
    """
    cutoff = timezone.now() - older_than
    stale = DeliveryLog.objects.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING], updated_at__lt=cutoff
    )
    return _requeue(
        log_ids=list(stale.values_list("pk", flat=True)[:500]),
        statuses=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING],
        updated_before=cutoff,
    )


def _requeue(*, log_ids: Iterable[str], statuses: list[str], updated_before: datetime | None = None) -> int:
    with transaction.atomic():
        logs = DeliveryLog.objects.select_for_update().filter(pk__in=list(log_ids), status__in=statuses)
        if updated_before is not None:
            logs = logs.filter(updated_at__lt=updated_before)
        locked = list(logs.order_by("pk"))
        for log in locked:
            log.status = DeliveryStatus.QUEUED
            log.save(update_fields=["status", "updated_at"])
            _queue_delivery(log.id)
    return len(locked)


def notification_create(
    *, user: Any, title: str, body: str = "", link: str = "", idempotency_key: str | None = None
) -> Notification | None:
    """A dashboard notification. With `idempotency_key`, once per key: a repeat returns None."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, title=title[:255], body=body, link=link[:500], idempotency_key=idempotency_key
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return None


def notification_mark_read(*, user: Any, notification_id: str) -> Notification:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id, user=user).first()
        if notification is None:
            raise NotFound("Notification not found.")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return notification


def notification_mark_all_read(*, user: Any) -> int:
    with transaction.atomic():
        return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def _queue_delivery(log_id: str) -> None:
    # Through the outbox: written with the log, published after the commit or, during a broker
    # outage, by the relay once the broker is back.
    outbox_enqueue(task=tasks.deliver, log_id=log_id)


def _accepted_channels(*, user: Any, category: str, channels: tuple[str, ...]) -> list[str]:
    requested = list(dict.fromkeys(channels))
    if category == Category.SECURITY:
        return requested
    if user is None:
        # Shoppers gave no consent to marketing; they get transactional messages only.
        return [] if category == Category.MARKETING else requested
    enabled = preferences_of(user)
    category_setting = CATEGORY_SETTINGS.get(category)
    if category_setting and not enabled(category_setting):
        return []
    return [channel for channel in requested if enabled(CHANNEL_SETTINGS[channel])]


def _address(*, channel: str, email: str | None, phone: str | None, user: Any) -> str:
    if channel == Channel.EMAIL:
        return (email or (user.email if user is not None else "") or "").strip()
    return (phone or (user.phone if user is not None else "") or "").strip()


def _address_and_content(log: DeliveryLog, *, address: str, template: str, context: dict[str, Any]) -> None:
    if log.channel == Channel.EMAIL:
        rendered = render_email(template, context)
        log.subject, log.body_text, log.body_html = rendered.subject, rendered.text, rendered.html
        log.from_name = rendered.from_name
        log.recipient = address[:255]
    else:
        log.body_text = render_sms(template, context)
        try:
            log.recipient = normalise_phone(address)
        except InvalidPhoneNumber:
            log.recipient = address[:255]
    problem = _recipient_problem(log.channel, log.recipient)
    if problem:
        log.status = DeliveryStatus.FAILED
        log.last_error = problem


def _secrets_key(log_id: str) -> str:
    return f"notifications:secrets:{log_id}"


def _secrets_keep(log_id: str, secrets: dict[str, str]) -> None:
    cache.set(_secrets_key(log_id), secrets, timeout=int(SECRET_TTL.total_seconds()))


def _with_secrets(log: DeliveryLog) -> DeliveryLog:
    """A copy of the log, never saved, with its placeholders replaced by the real secrets."""
    fields = ("subject", "body_text", "body_html")
    if not any(placeholder in getattr(log, field) for field in fields for placeholder in _placeholders()):
        return log
    secrets = cache.get(_secrets_key(log.id))
    if not secrets:
        raise DeliveryPermanentError(SECRETS_MISSING)
    revealed = DeliveryLog(**{f.attname: getattr(log, f.attname) for f in DeliveryLog._meta.concrete_fields})
    for field in fields:
        text = getattr(log, field)
        for key, value in secrets.items():
            text = text.replace(_secret_placeholder(key), value)
        setattr(revealed, field, text)
    return revealed


def _placeholders() -> list[str]:
    return [_secret_placeholder(key) for key in SECRET_CONTEXT_KEYS]


def _recipient_problem(channel: str, recipient: str) -> str | None:
    """Why this address can never be delivered to, or None."""
    if channel == Channel.EMAIL:
        try:
            validate_email(recipient)
        except ValidationError:
            return f"Invalid email address {recipient!r}: not sent."
        return None
    try:
        normalise_phone(recipient)
    except InvalidPhoneNumber as error:
        return f"Invalid phone number {recipient!r}: {error.message} Not sent."
    return None


def _related(related: Related) -> tuple[str, str]:
    if related is None:
        return "", ""
    if isinstance(related, Model):
        return related._meta.label_lower, str(related.pk)
    related_type, related_id = related
    return str(related_type), str(related_id)
