"""Monnify's webhooks: authenticated and recorded at once, acted on by a Celery task.

An event only prompts us: what is applied is always Monnify's own answer to a re-query.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import ExternalServiceError, PermissionDenied, ServiceError
from config.money import kobo_text
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
from payments.services.collections import payment_reconcile
from payments.services.payouts import DISBURSEMENT_EVENTS, payout_apply_transfer
from payments.services.refunds import REFUND_EVENTS, refund_apply_status
from payments.webhooks import SIGNATURE_HEADER, signature_is_valid, source_ip_allowed, webhook_reference

TRANSACTION_EVENTS = frozenset({"SUCCESSFUL_TRANSACTION", "REJECTED_PAYMENT"})


class InvalidWebhookSignature(ServiceError):
    code = "invalid_signature"
    http_status = 401


def _now_iso() -> str:
    return timezone.now().isoformat()


def monnify_webhook_receive(*, body: bytes, headers, remote_addr: str | None) -> MonnifyWebhookEvent | None:
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

            transaction.on_commit(lambda: tasks.monnify_event_process.delay(event.pk), robust=True)
    except IntegrityError:
        return None  # a redelivery (or a concurrent duplicate) of an event we hold
    return event


def _event_finish(event: MonnifyWebhookEvent, status: str, error: str = ""):
    MonnifyWebhookEvent.objects.filter(pk=event.pk).update(
        status=status, error=error[:2000], processed_at=timezone.now()
    )


def monnify_event_process(*, event_id: str):
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
        payment_reconcile(payment=payment, transaction_reference=data.get("transactionReference"))
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.FAILED, error.message)
        raise ExternalServiceError("Monnify could not confirm the transaction.") from error
    _event_finish(event, WebhookEventStatus.PROCESSED)


def _payment_note_rejection(*, payment: Payment, data: dict):
    source = data.get("paymentSourceInformation")
    if isinstance(source, list):
        source = source[0] if source else {}
    rejection = data.get("paymentRejectionInformation") or {}
    with transaction.atomic():
        locked = locks.payment_lock(payment.pk)
        metadata = locked.metadata or {}
        metadata["rejected_payment"] = {
            "amount_paid": kobo_text(parse_amount((source or {}).get("amountPaid")) or Decimal("0")),
            "reason": rejection.get("rejectionReason"),
            "at": _now_iso(),
        }
        locked.metadata = metadata
        locked.save(update_fields=["metadata", "updated_at"])


def _apply_confirmed(event: MonnifyWebhookEvent, *, record, missing: str, what: str, ask, apply) -> None:
    """As with collections, an event only prompts us: what is applied is Monnify's own answer
    about `record` (`ask(record)`), never the event's body. Raises ExternalServiceError to be retried."""
    if record is None:
        _event_finish(event, WebhookEventStatus.IGNORED, missing)
        return
    try:
        body = ask(record)
    except MonnifyError as error:
        _event_finish(event, WebhookEventStatus.FAILED, error.message)
        raise ExternalServiceError(f"Monnify could not confirm the {what}.") from error
    apply(record, body)
    _event_finish(event, WebhookEventStatus.PROCESSED)


def _disbursement_event_process(event: MonnifyWebhookEvent, data: dict):
    payout = Payout.objects.filter(reference=data.get("reference") or "").first()
    _apply_confirmed(
        event,
        record=payout,
        missing="no payout with this reference",
        what="transfer",
        ask=lambda payout: monnify_client().transfer_summary(payout.reference),
        apply=lambda payout, body: payout_apply_transfer(payout_id=payout.pk, body=body),
    )


def _refund_event_process(event: MonnifyWebhookEvent, data: dict):
    refund = Refund.objects.filter(reference=data.get("refundReference") or "").first()
    _apply_confirmed(
        event,
        record=refund,
        missing="no refund with this reference",
        what="refund",
        ask=lambda refund: monnify_client().refund_status(refund.reference),
        apply=lambda refund, body: refund_apply_status(refund_id=refund.pk, body=body),
    )
