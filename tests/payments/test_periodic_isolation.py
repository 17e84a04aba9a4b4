"""One payment that raises must not stop the periodic jobs from handling every other one."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import PaymentStatus
from payments import services, tasks
from payments.models import Payment
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bad_and_good(store, monnify):
    """Two pending payments; the older one points at a Monnify transaction of another payment
    reference, so applying what Monnify says about it raises."""
    donor = services.payment_start(order=OrderFactory(store=store, total=Decimal("3000.00")))
    Payment.objects.filter(pk=donor.pk).update(status=PaymentStatus.FAILED, monnify_reference=None)
    bad = services.payment_start(order=OrderFactory(store=store, total=Decimal("4000.00")))
    good = services.payment_start(order=OrderFactory(store=store, total=Decimal("5000.00")))
    hour_ago = timezone.now() - timedelta(hours=1)
    Payment.objects.filter(pk=bad.pk).update(
        monnify_reference=donor.monnify_reference, created_at=hour_ago - timedelta(minutes=5)
    )
    Payment.objects.filter(pk=good.pk).update(created_at=hour_ago)
    return Payment.objects.get(pk=bad.pk), Payment.objects.get(pk=good.pk)


def test_requery_goes_on_after_a_payment_that_raises(bad_and_good, monnify, caplog):
    bad, good = bad_and_good
    assert services.payments_due_for_requery() == [bad.pk, good.pk]
    monnify.pay_full(good.payment_reference)

    tasks.payments_requery_pending()

    assert Payment.objects.get(pk=good.pk).status == PaymentStatus.PAID
    assert Payment.objects.get(pk=bad.pk).status == PaymentStatus.PENDING
    assert f"re-query of {bad.pk} raised" in caplog.text


def test_expiry_goes_on_after_a_payment_that_raises(bad_and_good, monnify, caplog):
    bad, good = bad_and_good
    Payment.objects.filter(pk__in=[bad.pk, good.pk]).update(expires_at=timezone.now() - timedelta(hours=1))
    assert services.payments_due_for_expiry() == [bad.pk, good.pk]

    tasks.payments_expire_stale()

    assert Payment.objects.get(pk=good.pk).status == PaymentStatus.EXPIRED
    assert Payment.objects.get(pk=bad.pk).status == PaymentStatus.PENDING
    assert f"expiry of {bad.pk} raised" in caplog.text
