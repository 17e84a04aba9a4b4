"""Recovery reminders racing on MariaDB: real threads, real connections, real commits."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from notifications.models import DeliveryLog
from orders import tasks
from orders.models import RecoveryMessage
from orders.services import order_place, recovery_send_unpaid
from tests.factories import ProductFactory
from tests.orders.test_concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_workers_and_two_beats_send_one_reminder(store, shopper):
    product = ProductFactory(store=store, price=D("5000.00"), stock_quantity=3)
    order = order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 1}])

    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=True):
        results = run_concurrently(8, lambda _i: recovery_send_unpaid(order_id=order.pk, sequence=1))
        beats = run_concurrently(2, lambda _i: tasks.recovery_run())

    sent = [result for result in results if isinstance(result, RecoveryMessage)]
    assert len(sent) == 1
    assert [
        result for result in results if result is not None and not isinstance(result, RecoveryMessage)
    ] == []
    assert beats == [0, 0]
    assert list(RecoveryMessage.objects.values_list("key", flat=True)) == [f"unpaid:{order.pk}:1"]
    assert sorted(
        DeliveryLog.objects.filter(idempotency_key__startswith="recovery:").values_list("channel", flat=True)
    ) == ["email", "sms"]
