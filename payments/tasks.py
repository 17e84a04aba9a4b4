"""Celery tasks of the payments app: thin, take ids, safe to run twice."""

import logging

from celery import shared_task

from config.errors import ExternalServiceError
from payments import metrics, selectors, services
from payments.models import Payment
from payments.monnify import MonnifyError, MonnifyUnavailable

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=6)
def monnify_event_process(self, event_id: str):
    try:
        services.monnify_event_process(event_id=event_id)
    except ExternalServiceError as error:
        if self.request.is_eager:
            # No worker to come back later: the periodic re-query picks the payment up.
            logger.warning("payments: event %s not processed now: %s", event_id, error)
            return
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def payments_requery_pending():
    """Webhooks get lost or arrive before Monnify confirms them: process unverified events again,
    then ask Monnify about every payment still pending."""
    try:
        services.monnify_events_reprocess()
    except Exception:
        logger.exception("payments: re-processing unverified events raised")
    for payment_id in selectors.payments_due_for_requery():
        try:
            services.payment_requery(payment_id=payment_id)
        except MonnifyError as error:
            logger.warning("payments: re-query of %s failed: %s", payment_id, error)
        except Exception:
            # One bad payment (oldest first) must not stop every later one, run after run.
            logger.exception("payments: re-query of %s raised", payment_id)


@shared_task
def payments_expire_stale():
    """Expire pending payments whose transfer account lapsed (after one last re-query)."""
    for payment_id in selectors.payments_due_for_expiry():
        try:
            services.payment_expire(payment=Payment.objects.get(pk=payment_id))
        except MonnifyError as error:
            logger.warning("payments: expiry of %s deferred, Monnify unavailable: %s", payment_id, error)
        except Exception:
            logger.exception("payments: expiry of %s raised", payment_id)


def _retry_while_unavailable(task, error: MonnifyUnavailable, what: str):
    if task.request.is_eager:
        # No worker to come back later: the periodic re-query resends it under the same reference.
        logger.warning("payments: %s not sent now: %s", what, error)
        return
    raise task.retry(exc=error, countdown=30 * 2**task.request.retries) from error


@shared_task(bind=True, max_retries=6)
def payout_submit(self, payout_id: str):
    try:
        services.payout_submit(payout_id=payout_id)
    except MonnifyUnavailable as error:
        # After the last retry the payout is still `submitting`, and payouts_requery resends it.
        _retry_while_unavailable(self, error, f"payout {payout_id}")


@shared_task
def payouts_requery():
    """Settle payouts whose webhook is late or lost, and resend ones Monnify never received."""
    for payout_id in selectors.payouts_in_flight():
        try:
            services.payout_requery(payout_id=payout_id)
        except MonnifyError as error:
            logger.warning("payments: payout re-query of %s failed: %s", payout_id, error)
        except Exception:
            logger.exception("payments: payout re-query of %s raised", payout_id)


@shared_task(bind=True, max_retries=6)
def refund_submit(self, refund_id: str):
    try:
        services.refund_submit(refund_id=refund_id)
    except MonnifyUnavailable as error:
        # After the last retry the refund is still `pending`, and refunds_requery resends it.
        _retry_while_unavailable(self, error, f"refund {refund_id}")


@shared_task
def refunds_requery():
    for refund_id in selectors.refunds_in_flight():
        try:
            services.refund_requery(refund_id=refund_id)
        except MonnifyError as error:
            logger.warning("payments: refund re-query of %s failed: %s", refund_id, error)
        except Exception:
            logger.exception("payments: refund re-query of %s raised", refund_id)


@shared_task
def payment_open(payment_id: str):
    """Open the Monnify account of a payment created inside an order's transaction."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.status == "pending" and not payment.account_number:
        services.payment_retry_start(payment=payment)
        metrics.payment_opened()
