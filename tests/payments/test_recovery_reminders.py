"""Recovery against the real payment path: a transfer Monnify confirms stops the reminder,
and the reminder's pay link is the open transfer account's page."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from notifications.models import DeliveryLog
from orders import selectors, tasks
from orders.models import Order, RecoveryMessage
from tests.factories import ProductFactory
from tests.payments.test_order_integration import checkout
from tests.payments.test_payment_flow import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def tote(store):
    return ProductFactory(store=store, name="Ankara Tote", price=D("6500.00"), stock_quantity=4)


def beat(minutes, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return tasks.recovery_run()


def test_a_transfer_confirmed_by_monnify_means_no_reminder(
    client, store, tote, monnify, django_capture_on_commit_callbacks
):
    _response, order = checkout(client, store, tote, django_capture_on_commit_callbacks)
    payment = order.payments.get()
    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, monnify, monnify.transaction_event(payment.payment_reference))

    assert beat(31, django_capture_on_commit_callbacks) == 0
    assert RecoveryMessage.objects.count() == 0
    assert not DeliveryLog.objects.filter(idempotency_key__startswith="recovery:").exists()


def test_the_reminder_links_the_open_account_and_payment_after_it_counts_as_recovered(
    client, store, tote, monnify, django_capture_on_commit_callbacks
):
    _response, order = checkout(client, store, tote, django_capture_on_commit_callbacks)
    payment = order.payments.get()
    assert payment.expires_at is not None

    assert beat(31, django_capture_on_commit_callbacks) == 1
    sms = DeliveryLog.objects.get(idempotency_key=f"recovery:unpaid:{order.pk}:1", channel="sms")
    assert f"/{store.username}/pay/{payment.payment_reference} " in sms.body_text
    page = client.get(f"/{store.username}/pay/{payment.payment_reference}").content.decode()
    assert payment.account_number in page

    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, monnify, monnify.transaction_event(payment.payment_reference))
    assert Order.objects.get(pk=order.pk).payment_status == "paid"
    now = timezone.now()
    summary = selectors.recovery_summary(
        store_ids=[store.pk], since=now - timedelta(hours=1), until=now + timedelta(hours=1)
    )
    assert (summary["orders_recovered"], summary["revenue_recovered"]) == (1, D("13000.00"))


def test_no_reminder_when_the_account_is_about_to_lapse(
    client, store, tote, monnify, django_capture_on_commit_callbacks
):
    checkout(client, store, tote, django_capture_on_commit_callbacks)

    # 38 minutes in, the 40-minute account has under 3 minutes left: too late to pay.
    assert beat(38, django_capture_on_commit_callbacks) == 0
    assert RecoveryMessage.objects.count() == 0
