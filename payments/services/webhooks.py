"""Monnify's webhooks: authenticated and recorded at once, acted on by a Celery task.

An event only prompts us: what is applied is always Monnify's own answer to a re-query. An
event whose re-query failed, or whose answer does not (yet) show what the event reported, is
kept `unverified`, never used up: the next delivery of the same event and the periodic
re-query (`monnify_events_reprocess`) process it again, and once verified it is `processed`
and applies exactly once (the payment's row lock and the ledger's unique references).
"""

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import ExternalServiceError, PermissionDenied, ServiceError
from config.money import kobo_text
from outbox.services import outbox_enqueue
from payments import locks, tasks
from payments.models import (
    MonnifyWebhookEvent,
    Payment,
    Payout,
    Refund,
    WebhookEventStatus,
)
from payments.monnify import (
    MonnifyError,
    monnify_client,
    monnify_config,
    parse_amount,
)
from payments.payment_state import PaymentState
from payments.services.collections import PAID_STATUSES, payment_apply_status, payment_transaction_fetch
from payments.services.payouts import DISBURSEMENT_EVENTS, payout_apply_transfer
from payments.services.refunds import REFUND_EVENTS, refund_apply_status
from payments.webhooks import SIGNATURE_HEADER, signature_is_valid, source_ip_allowed, webhook_reference

TRANSACTION_EVENTS = frozenset({"SUCCESSFUL_TRANSACTION", "REJECTED_PAYMENT"})
# Statuses from which a redelivery has the event processed again.
REPROCESSABLE = frozenset({WebhookEventStatus.UNVERIFIED, WebhookEventStatus.FAILED})
# How long the periodic re-query keeps trying an unverified event (a transfer account lives 40
# minutes; Monnify retries a webhook for about a day).
UNVERIFIED_RETRY_WINDOW = timedelta(days=3)


class InvalidWebhookSignature(ServiceError):
    code = "invalid_signature"
    http_status = 401


def monnify_webhook_receive(
    *, body: bytes, headers: Mapping[str, str], remote_addr: str | None
) -> MonnifyWebhookEvent | None:
    """Authenticate and record one notification. None when it was already recorded.

    The signature is checked over the raw bytes before anything parses them; nothing is
    written for a request that fails a check.
    """
    if not source_ip_allowed(remote_addr, settings.MONNIFY_WEBHOOK_ALLOWED_IPS):
        raise PermissionDenied("This address may not send Monnify notifications.")
    if not signature_is_valid(body, headers.get(SIGNATURE_HEADER), monnify_config().secret_key):
        raise InvalidWebhookSignature("Invalid or missing monnify-signature.")
    try:
        payload = json.loads(body)
    except ValueError:
        raise ServiceError("The notification is not JSON.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("eventData"), dict):
        raise ServiceError("The notification has no eventData.")
    event_type = str(payload.get("eventType") or "")[:50]
    reference = webhook_reference(event_type, payload["eventData"])
    if not event_type or not reference:
        raise ServiceError("The notification has no eventType or reference.")
    try:
        with transaction.atomic():
            event = MonnifyWebhookEvent.objects.create(
                event_type=event_type, reference=reference, payload=payload, remote_addr=remote_addr or ""
            )
            outbox_enqueue(task=tasks.monnify_event_process, event_id=event.pk)
    except IntegrityError:
        # A redelivery (or a concurrent duplicate) of an event we hold.
        return _event_redelivered(event_type=event_type, reference=reference)
    return event


def _event_redelivered(*, event_type: str, reference: str) -> MonnifyWebhookEvent | None:
    """The held event again: processed again when it is still unverified, else None."""
    with transaction.atomic():
        held = (
            MonnifyWebhookEvent.objects.select_for_update()
            .filter(event_type=event_type, reference=reference, status__in=REPROCESSABLE)
            .first()
        )
        if held is None:
            return None
        # Back to `received` under the lock: of many redeliveries at once, one queues it.
        held.status = WebhookEventStatus.RECEIVED
        held.save(update_fields=["status"])
        outbox_enqueue(task=tasks.monnify_event_process, event_id=held.pk)
    return held


def _event_finish(event: MonnifyWebhookEvent, status: str, error: str = "") -> None:
    MonnifyWebhookEvent.objects.filter(pk=event.pk).update(
        status=status, error=error[:2000], processed_at=timezone.now()
    )


def monnify_event_process(*, event_id: str) -> None:
    """Act on a recorded notification. Safe to run twice. Raises MonnifyUnavailable to be retried."""
    event = MonnifyWebhookEvent.objects.get(pk=event_id)
    if event.status == WebhookEventStatus.PROCESSED:
        return
    data = event.payload.get("eventData") or {}
    if event.event_type in DISBURSEMENT_EVENTS:
        _disbursement_event_process(event, data)
        return
    if event.event_type in REFUND_EVENTS:
        _refund_event_process(event, data)
        return
    if event.event_type not in TRANSACTION_EVENTS:
        _event_finish(event, WebhookEventStatus.IGNORED, f"{event.event_type} is not handled")
        return
    payment = (
        Payment.objects.filter(payment_reference=data.get("paymentReference") or "").first()
        or Payment.objects.filter(monnify_reference=data.get("transactionReference") or "").first()
    )
    if payment is None:
        _event_finish(event, WebhookEventStatus.IGNORED, "no payment with this reference")
        return
    if event.event_type == "REJECTED_PAYMENT":
        _payment_note_rejection(payment=payment, data=data)
    try:
        body = payment_transaction_fetch(
            payment=payment, transaction_reference=data.get("transactionReference")
        )
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.UNVERIFIED, error.message)
        raise ExternalServiceError("Monnify could not confirm the transaction.") from error
    # What Monnify says is applied either way (it is the truth now); the event is only used up
    # when Monnify's answer shows at least what the event reported.
    payment_apply_status(payment_id=payment.pk, body=body)
    problem = "" if event.event_type == "REJECTED_PAYMENT" else _collection_unconfirmed(data, body)
    if problem:
        _event_finish(event, WebhookEventStatus.UNVERIFIED, problem)
        return
    _event_finish(event, WebhookEventStatus.PROCESSED)


def _collection_unconfirmed(reported: dict[str, Any], confirmed: dict[str, Any]) -> str:
    """Why Monnify's answer does not confirm the event ("" when it does).

    It confirms when it reports at least the money the event did and, for a paid event, a paid
    (or since reversed) transaction: a late redelivery of a short payment's event after the
    top-up is confirmed by the top-up's PAID.
    """
    reported_amount = parse_amount(reported.get("amountPaid")) or Decimal("0")
    confirmed_amount = parse_amount(confirmed.get("amountPaid")) or Decimal("0")
    reported_status = str(reported.get("paymentStatus") or "").upper()
    confirmed_status = str(confirmed.get("paymentStatus") or "").upper()
    if confirmed_status == "REVERSED":
        return ""
    if confirmed_amount < reported_amount or (
        reported_status in PAID_STATUSES and confirmed_status not in PAID_STATUSES
    ):
        return (
            f"Monnify reports {confirmed_status or 'no status'} {kobo_text(confirmed_amount)}, "
            f"the event {reported_status or 'no status'} {kobo_text(reported_amount)}"
        )
    return ""


def monnify_events_reprocess(*, limit: int = 200) -> int:
    """The periodic re-query's part: process unverified events again; how many became processed."""
    since = timezone.now() - UNVERIFIED_RETRY_WINDOW
    waiting = MonnifyWebhookEvent.objects.filter(status__in=REPROCESSABLE, received_at__gte=since)
    processed = 0
    for event_id in list(waiting.order_by("received_at").values_list("pk", flat=True)[:limit]):
        try:
            monnify_event_process(event_id=event_id)
        except ExternalServiceError:
            continue  # still unverified; the next run tries again
        processed += MonnifyWebhookEvent.objects.filter(
            pk=event_id, status=WebhookEventStatus.PROCESSED
        ).count()
    return processed


def _payment_note_rejection(*, payment: Payment, data: dict[str, Any]) -> None:
    source = data.get("paymentSourceInformation")
    if isinstance(source, list):
        source = source[0] if source else {}
    rejection = data.get("paymentRejectionInformation") or {}
    with transaction.atomic():
        locked = locks.payment_lock(payment.pk)
        state = PaymentState.of(locked)
        state.rejected(
            amount_paid=kobo_text(parse_amount((source or {}).get("amountPaid")) or Decimal("0")),
            reason=rejection.get("rejectionReason"),
        )
        state.store(locked)
        locked.save(update_fields=["metadata", "updated_at"])


def _apply_confirmed(
    event: MonnifyWebhookEvent,
    *,
    record: Any,
    missing: str,
    what: str,
    ask: Callable[[Any], dict[str, Any]],
    apply: Callable[[Any, dict[str, Any]], object],
) -> None:
    """As with collections, an event only prompts us: what is applied is Monnify's own answer
    about `record` (`ask(record)`), never the event's body. Raises ExternalServiceError to be retried."""
    if record is None:
        _event_finish(event, WebhookEventStatus.IGNORED, missing)
        return
    try:
        body = ask(record)
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.UNVERIFIED, error.message)
        raise ExternalServiceError(f"Monnify could not confirm the {what}.") from error
    apply(record, body)
    _event_finish(event, WebhookEventStatus.PROCESSED)


def _disbursement_event_process(event: MonnifyWebhookEvent, data: dict[str, Any]) -> None:
    payout = Payout.objects.filter(reference=data.get("reference") or "").first()
    _apply_confirmed(
        event,
        record=payout,
        missing="no payout with this reference",
        what="transfer",
        ask=lambda payout: monnify_client().transfer_summary(payout.reference),
        apply=lambda payout, body: payout_apply_transfer(payout_id=payout.pk, body=body),
    )


def _refund_event_process(event: MonnifyWebhookEvent, data: dict[str, Any]) -> None:
    refund = Refund.objects.filter(reference=data.get("refundReference") or "").first()
    _apply_confirmed(
        event,
        record=refund,
        missing="no refund with this reference",
        what="refund",
        ask=lambda refund: monnify_client().refund_status(refund.reference),
        apply=lambda refund, body: refund_apply_status(refund_id=refund.pk, body=body),
    )
