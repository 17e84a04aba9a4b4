"""payout_submit and refund_submit retry with backoff while Monnify is unreachable."""

from decimal import Decimal

import pytest
from celery.canvas import Signature
from celery.exceptions import Retry

from payments import selectors, services, tasks
from payments.models import Payout, Refund
from payments.monnify import MonnifyUnavailable

pytestmark = pytest.mark.django_db

NET = Decimal("48750.00")


@pytest.fixture
def queued_payout(funded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return services.payout_request(user=funded, amount="3000")


@pytest.fixture
def pending_refund(funded, django_capture_on_commit_callbacks):
    payment = funded.payments.get()
    with django_capture_on_commit_callbacks(execute=False):
        return services.payment_refund_start(payment=payment, reason="Order cancelled", amount="2000")


@pytest.fixture
def worker(monkeypatch):
    """Run a bound task as a worker would, at a given retry count; record the retries it queues.

    Celery's Signature.apply_async is replaced (there is no broker in the tests): the countdown
    it receives is the backoff under test.
    """
    queued = []
    monkeypatch.setattr(
        Signature, "apply_async", lambda sig, *a, **kw: queued.append(sig.options["countdown"])
    )

    def run(task, object_id, retries):
        task.push_request(id=f"t{retries}", retries=retries, is_eager=False, called_directly=False)
        try:
            return task.run(object_id)
        finally:
            task.pop_request()

    return run, queued


def test_payout_submit_retries_with_backoff_until_monnify_is_back(queued_payout, monnify, worker):
    run, queued = worker
    monnify.stop()
    for retries in range(3):
        with pytest.raises(Retry):
            run(tasks.payout_submit, queued_payout.pk, retries)
        assert Payout.objects.get(pk=queued_payout.pk).status == "submitting"
    assert queued == [30, 60, 120]
    assert selectors.ledger_balance(user=queued_payout.merchant) == NET - Decimal("3000.00")
    monnify.start()
    run(tasks.payout_submit, queued_payout.pk, 3)
    assert Payout.objects.get(pk=queued_payout.pk).status == "success"
    assert len(monnify.transfers) == 1
    assert queued == [30, 60, 120]


def test_payout_submit_gives_up_after_six_retries(queued_payout, monnify, worker):
    run, queued = worker
    monnify.stop()
    with pytest.raises(MonnifyUnavailable):
        run(tasks.payout_submit, queued_payout.pk, 6)
    assert queued == []
    assert Payout.objects.get(pk=queued_payout.pk).status == "submitting"  # payouts_requery resends


def test_refund_submit_retries_with_backoff_until_monnify_is_back(pending_refund, monnify, worker):
    run, queued = worker
    monnify.fail_next(1, status=502, path="/api/v1/refunds/initiate-refund")
    with pytest.raises(Retry):
        run(tasks.refund_submit, pending_refund.pk, 0)
    monnify.stop()
    with pytest.raises(Retry):
        run(tasks.refund_submit, pending_refund.pk, 1)
    assert queued == [30, 60]
    assert Refund.objects.get(pk=pending_refund.pk).status == "pending"
    monnify.start()
    run(tasks.refund_submit, pending_refund.pk, 2)
    assert Refund.objects.get(pk=pending_refund.pk).status == "in_progress"
    assert list(monnify.refunds) == [pending_refund.reference]


def test_eager_submit_leaves_the_payout_for_the_requery(queued_payout, monnify):
    monnify.stop()
    tasks.payout_submit.delay(queued_payout.pk)
    assert Payout.objects.get(pk=queued_payout.pk).status == "submitting"
    monnify.start()
    tasks.payout_submit.delay(queued_payout.pk)
    assert Payout.objects.get(pk=queued_payout.pk).status == "success"
    assert len(monnify.transfers) == 1
