"""Recovering sales: one reminder for an unpaid order, one "still available" message for an
expired one, one reminder for an abandoned checkout; opting out; what was recovered.

Exactly once, however often the beat runs and however many workers race: each message is a
RecoveryMessage under a unique key ("unpaid:<order>:<n>", "expired:<order>",
"abandoned:<checkout>:<n>"), inserted in the same transaction that re-checks the order (or
checkout) under its row lock and records the DeliveryLogs under that same key. A second worker
waits on the lock, then finds the row and stops; a retry of the whole task finds it too.

Never after payment: the order lock is the one order_mark_paid takes, so the check "still
pending" and the insert cannot interleave with a payment being applied. Never to an address
that opted out: RecoveryOptOut is read inside the same transaction, per address.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from config.errors import ServiceError
from config.money import naira, naira_sms
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from config.site_url import site_url
from notifications.models import Category, Channel
from notifications.services import notification_send
from orders import locks, recovery_links
from orders.messages import SMS_STORE_NAME_LENGTH, gsm7
from orders.models import (
    AbandonedCheckout,
    Order,
    OrderStatus,
    PaymentStatus,
    RecoveryKind,
    RecoveryMessage,
    RecoveryOptOut,
    RecoverySettings,
)
from orders.selectors import recovery_opt_out_target, recovery_settings_for, restorable_lines
from orders.services.checkout import MAX_LINES, MAX_QUANTITY
from stores.models import Store

MAX_REMINDERS = 3
UNPAID_DELAY_RANGE = (5, 35)  # minutes: a reminder must reach the shopper before the account lapses
ABANDONED_DELAY_RANGE = (15, 24 * 60)
# A reminder is not worth sending for an account about to lapse: the shopper could not pay in time.
ACCOUNT_MARGIN = timedelta(minutes=3)
# How long after an expiry or an abandoned checkout a message is still worth sending.
EXPIRED_WINDOW = timedelta(hours=24)
ABANDONED_WINDOW = timedelta(days=3)
# An order placed within this time of a recovery message, by its addressee, counts as recovered.
ATTRIBUTION_WINDOW = timedelta(days=7)
CONSENT_TEXT = "Send me one reminder about this order if I don't finish checking out."


class RecoverySettingsInvalid(ServiceError):
    code = "invalid_recovery_settings"


def recovery_settings_update(*, store: Store, **changes: Any) -> RecoverySettings:
    """Change a store's recovery settings; a value out of range changes nothing (400)."""
    allowed = {
        "unpaid_reminders": (0, MAX_REMINDERS),
        "unpaid_delay_minutes": UNPAID_DELAY_RANGE,
        "abandoned_reminders": (0, MAX_REMINDERS),
        "abandoned_delay_minutes": ABANDONED_DELAY_RANGE,
        "expired_message": None,
        "abandoned_checkouts": None,
    }
    unknown = set(changes) - set(allowed)
    if unknown:
        raise RecoverySettingsInvalid(f"Unknown setting {sorted(unknown)[0]!r}.")
    for name, bounds in allowed.items():
        if name not in changes or bounds is None:
            continue
        value = changes[name]
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise RecoverySettingsInvalid(
                f"{name.replace('_', ' ').capitalize()} must be a whole number from {low} to {high}.",
                details={"field": name, "min": low, "max": high},
            )
    with transaction.atomic():
        settings, _created = RecoverySettings.objects.select_for_update().get_or_create(store=store)
        for name, value in changes.items():
            setattr(settings, name, bool(value) if allowed[name] is None else value)
        settings.save()
    return settings


# --- Capturing a checkout ---------------------------------------------------------------------


def checkout_capture(
    *,
    store: Store,
    token: str | None,
    name: str,
    email: str,
    phone: str,
    consent: bool,
    lines: list[dict[str, Any]],
) -> AbandonedCheckout | None:
    """Keep what the shopper typed so far, if the store collects checkouts and they agreed.

    Without consent, or without a usable phone or email, nothing is kept (and an earlier
    capture under the same token is withdrawn: unticking the box takes the consent back).
    """
    if not recovery_settings_for(store).abandoned_checkouts:
        return None
    email = _clean_email(email)
    phone = _clean_phone(phone)
    lines = _clean_capture_lines(lines)
    with transaction.atomic():
        existing = (
            AbandonedCheckout.objects.select_for_update().filter(store=store, token=token).first()
            if token
            else None
        )
        if not consent or not (email or phone) or not lines:
            if existing is not None and existing.order_id is None:
                existing.delete()
            return None
        checkout = existing or AbandonedCheckout(store=store, token=secrets.token_urlsafe(24))
        if checkout.order_id is not None:
            return checkout
        checkout.name = (name or "").strip()[:255]
        checkout.email = email
        checkout.phone = phone
        checkout.lines = lines
        checkout.consent_text = CONSENT_TEXT
        checkout.consent_at = timezone.now()
        checkout.save()
    return checkout


def recovery_note_order_placed(*, order: Order) -> None:
    """Inside order_place: this shopper's open checkouts are finished, and an order that follows
    one of our messages to the same address is that message's recovery (counted once paid)."""
    contact = Q(phone=order.customer_phone)
    if order.customer_email:
        contact |= Q(email=order.customer_email.casefold())
    AbandonedCheckout.objects.filter(contact, store=order.store, order__isnull=True).update(order=order)
    since = timezone.now() - ATTRIBUTION_WINDOW
    RecoveryMessage.objects.filter(
        contact,
        store=order.store,
        kind__in=[RecoveryKind.EXPIRED, RecoveryKind.ABANDONED],
        recovered_order__isnull=True,
        created_at__gte=since,
    ).update(recovered_order=order)


def recovery_note_paid(*, order: Order) -> None:
    """Inside order_mark_paid (the order locked): messages this order answered become recovered."""
    RecoveryMessage.objects.filter(
        kind=RecoveryKind.UNPAID, order=order, recovered_order__isnull=True
    ).update(recovered_order=order)
    RecoveryMessage.objects.filter(recovered_order=order, recovered_at__isnull=True).update(
        recovered_at=timezone.now()
    )


# --- Sending ----------------------------------------------------------------------------------


def recovery_send_unpaid(*, order_id: str, sequence: int) -> RecoveryMessage | None:
    """Reminder `sequence` for an order still unpaid, with its pay link; None when not due."""
    now = timezone.now()
    with transaction.atomic():
        order = locks.order_lock(order_id)
        settings = recovery_settings_for(order.store)
        if (
            order.status != OrderStatus.PENDING
            or order.payment_status != PaymentStatus.PENDING
            or order.deleted_at is not None
            or not 1 <= sequence <= settings.unpaid_reminders
            or order.created_at is None
            or now < order.created_at + timedelta(minutes=settings.unpaid_delay_minutes * sequence)
        ):
            return None
        payment = order.payments.filter(status=PaymentStatus.PENDING).order_by("-created_at").first()
        if payment is None or (payment.expires_at is not None and payment.expires_at < now + ACCOUNT_MARGIN):
            return None
        pay_path = reverse(
            "storefront:payments_storefront:pay",
            kwargs={"username": order.store.username, "reference": payment.payment_reference},
        )
        context = {
            "pay_url": f"{site_url()}{pay_path}",
            "expires_at": timezone.localtime(payment.expires_at) if payment.expires_at else None,
        }
        return _record_and_send(
            store=order.store,
            kind=RecoveryKind.UNPAID,
            key=f"unpaid:{order.pk}:{sequence}",
            sequence=sequence,
            order=order,
            email=order.customer_email,
            phone=order.customer_phone,
            name=order.customer_name,
            context={**context, **_order_context(order)},
        )


def recovery_send_expired(*, order_id: str) -> RecoveryMessage | None:
    """The one "your items are still available" message for an order whose payment lapsed."""
    now = timezone.now()
    with transaction.atomic():
        order = locks.order_lock(order_id)
        if (
            order.status != OrderStatus.CANCELLED
            or order.payment_status != PaymentStatus.EXPIRED
            or order.deleted_at is not None
            or not recovery_settings_for(order.store).expired_message
            or order.updated_at is None
            or order.updated_at < now - EXPIRED_WINDOW
        ):
            return None
        # The shopper already ordered again: nothing to win back.
        if Order.objects.filter(
            store=order.store, customer_phone=order.customer_phone, created_at__gt=order.created_at
        ).exists():
            return None
        available = restorable_lines(store=order.store, lines=_order_lines(order))
        if not available:
            return None
        return _record_and_send(
            store=order.store,
            kind=RecoveryKind.EXPIRED,
            key=f"expired:{order.pk}",
            sequence=1,
            order=order,
            email=order.customer_email,
            phone=order.customer_phone,
            name=order.customer_name,
            context={**_order_context(order), "available": available},
        )


def recovery_send_abandoned(*, checkout_id: int, sequence: int) -> RecoveryMessage | None:
    """Reminder `sequence` for a checkout left unfinished, with a link that rebuilds the cart."""
    now = timezone.now()
    with transaction.atomic():
        checkout = locks.abandoned_checkout_lock(checkout_id)
        settings = recovery_settings_for(checkout.store)
        if (
            checkout.order_id is not None
            or not settings.abandoned_checkouts
            or not 1 <= sequence <= settings.abandoned_reminders
            or now < checkout.updated_at + timedelta(minutes=settings.abandoned_delay_minutes * sequence)
            or checkout.updated_at < now - ABANDONED_WINDOW
        ):
            return None
        available = restorable_lines(store=checkout.store, lines=checkout.lines)
        if not available:
            return None
        store = checkout.store
        return _record_and_send(
            store=store,
            kind=RecoveryKind.ABANDONED,
            key=f"abandoned:{checkout.pk}:{sequence}",
            sequence=sequence,
            checkout=checkout,
            email=checkout.email,
            phone=checkout.phone,
            name=checkout.name,
            context={
                **_store_context(store),
                "available": available,
                "total": naira(sum((line["subtotal"] for line in available), 0)),
            },
        )


def _record_and_send(
    *,
    store: Store,
    kind: str,
    key: str,
    sequence: int,
    email: str | None,
    phone: str | None,
    name: str,
    context: dict[str, Any],
    order: Order | None = None,
    checkout: AbandonedCheckout | None = None,
) -> RecoveryMessage | None:
    """Insert the message under its unique key, then record its deliveries under the same key."""
    if RecoveryMessage.objects.filter(key=key).exists():
        return None
    email = "" if _opted_out(store, _clean_email(email)) else _clean_email(email)
    phone = "" if _opted_out(store, _clean_phone(phone)) else _clean_phone(phone)
    message = RecoveryMessage(
        store=store,
        kind=kind,
        key=key,
        sequence=sequence,
        order=order,
        checkout=checkout,
        email=email,
        phone=phone,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        return None  # a twin outside our lock (none should exist) got there first
    if not (email or phone):
        return message  # every address opted out: recorded, so it is not tried again, and not sent
    template = f"recovery_{kind}"
    full_context = {
        **context,
        "customer_name": name or "",
        "restore_url": recovery_links.restore_url(username=store.username, message_id=message.pk),
    }
    for channel, address in ((Channel.EMAIL, email), (Channel.SMS, phone)):
        if not address:
            continue
        notification_send(
            template=template,
            context={
                **full_context,
                "opt_out_url": recovery_links.opt_out_url(
                    username=store.username, message_id=message.pk, channel=channel
                ),
            },
            channels=(channel,),
            email=address if channel == Channel.EMAIL else None,
            phone=address if channel == Channel.SMS else None,
            category=Category.ORDER,
            idempotency_key=f"recovery:{key}",
            # Every message is about an order or about an abandoned checkout.
            related=order or ("orders.abandonedcheckout", checkout.pk if checkout else None),
        )
    return message


# --- Opting out -------------------------------------------------------------------------------


def recovery_opt_out(*, token: str) -> RecoveryOptOut:
    """Stop recovery messages from this store to the address a message's link was sent to."""
    message, address = recovery_opt_out_target(token=token)
    with transaction.atomic():
        try:
            with transaction.atomic():
                return RecoveryOptOut.objects.create(store=message.store, address=address)
        except IntegrityError:
            return RecoveryOptOut.objects.get(store=message.store, address=address)


def _opted_out(store: Store, address: str) -> bool:
    return bool(address) and RecoveryOptOut.objects.filter(store=store, address=address).exists()


# --- Helpers ----------------------------------------------------------------------------------


def _clean_email(email: str | None) -> str:
    email = (email or "").strip()
    return email.casefold()[:255] if "@" in email else ""


def _clean_phone(phone: str | None) -> str:
    try:
        return normalise_phone(phone or "")
    except InvalidPhoneNumber:
        return ""


def _clean_capture_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for line in (lines or [])[:MAX_LINES]:
        try:
            quantity = int(line.get("quantity") or 0)
        except (TypeError, ValueError, AttributeError):
            continue
        product_id = str(line.get("product_id") or "")[:36]
        if product_id and 1 <= quantity <= MAX_QUANTITY:
            selection = line.get("variant_selection")
            cleaned.append(
                {
                    "product_id": product_id,
                    "quantity": quantity,
                    "variant_selection": selection if isinstance(selection, dict) else None,
                }
            )
    return cleaned


def _order_lines(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "product_id": item.product_id,
            "quantity": item.quantity,
            "variant_selection": item.variant_selection,
        }
        for item in order.order_items.all()
    ]


def _store_context(store: Store) -> dict[str, Any]:
    return {
        "store": store,
        "store_url": f"{site_url()}{store.get_absolute_url()}",
        "sms_store_name": gsm7(store.display_name, max_length=SMS_STORE_NAME_LENGTH),
    }


def _order_context(order: Order) -> dict[str, Any]:
    return {
        **_store_context(order.store),
        "order_number": order.order_number,
        "total": naira(order.total),
        "total_sms": naira_sms(order.total),
    }
