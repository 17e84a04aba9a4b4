"""Bookings racing on MariaDB: real threads, real connections, real transactions."""

import datetime

import pytest
import time_machine

from catalog.models import ServiceDuration
from orders.bookings import SlotTaken, booking_place
from orders.models import Booking, Order
from stores.models import StoreTemplate
from tests.factories import ProductFactory, StoreFactory
from tests.orders.test_concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY = datetime.date(2026, 12, 8)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC), tick=False):
        yield


def _book(store, service, time, index):
    return booking_place(
        store=store,
        service_id=service.pk,
        date=TUESDAY,
        time=time,
        customer={"name": f"Shopper {index}", "phone": f"0803{index:07d}"},
        idempotency_key=f"booking:{index}",
    )


def test_twelve_shoppers_booking_overlapping_times_get_one_appointment():
    store = StoreFactory(template_id=StoreTemplate.BOOKINGS)
    # Two services, so the shoppers do not all wait on the same product row: only the
    # store's booking lock keeps them apart.
    services = [ProductFactory(store=store, stock_quantity=None) for _ in range(2)]
    for service in services:
        ServiceDuration.objects.create(product=service, minutes=120)
    # 10:00-12:00 and 11:00-13:00 overlap, so each of these excludes all the others.
    times = ["10:00", "10:00", "11:00", "11:00"] * 3

    results = run_concurrently(12, lambda index: _book(store, services[index % 2], times[index], index))

    booked = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if not isinstance(result, Booking)]
    assert len(booked) == 1
    assert {type(error) for error in refused} == {SlotTaken}
    assert (Booking.objects.count(), Order.objects.count()) == (1, 1)
