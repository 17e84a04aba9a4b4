"""The bookings theme: free slots from opening hours, durations and existing bookings (Lagos
time), the /book page without JavaScript, and the appointment confirmation."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from catalog.models import Product, ServiceDuration
from notifications.models import DeliveryLog
from orders.bookings import SlotTaken, SlotUnavailable, booking_place, day_slots
from orders.models import Booking, IdempotencyKey, Order, OrderItem, OrderStatus
from orders.services import InvalidCheckout, OutOfStock, order_cancel, order_place
from stores.models import OpeningHours, StoreTemplate
from stores.opening_hours import opening_hours_set
from tests.stores.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

LAGOS = ZoneInfo("Africa/Lagos")
# Monday 7 December 2026, 08:30 UTC = 09:30 in Lagos (UTC+1, no daylight saving).
NOW = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC)
MONDAY = datetime.date(2026, 12, 7)
TUESDAY = datetime.date(2026, 12, 8)
SUNDAY = datetime.date(2026, 12, 13)
SHOPPER = {"name": "Ngozi", "phone": "0803 123 4567", "email": "ngozi@example.com"}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def store():
    return StoreFactory(template_id=StoreTemplate.BOOKINGS, display_name="Braids by Bisi")


@pytest.fixture
def service(store):
    product = ProductFactory(store=store, name="Braids", price="15000.00", stock_quantity=None)
    ServiceDuration.objects.create(product=product, minutes=120)
    return product


def times(slots, *, taken=None):
    return [slot.time for slot in slots if taken is None or slot.taken == taken]


def book(store, service, date, time, token="t1", **customer):
    return booking_place(
        store=store,
        service_id=service.pk,
        date=date,
        time=time,
        customer={**SHOPPER, **customer},
        idempotency_key=f"booking:{token}",
    )


# --- Slots ---


def test_slots_follow_the_default_hours_and_the_service_duration(store, service):
    # Monday to Saturday 09:00-17:00 until the merchant sets hours; a 2-hour service must
    # end by closing time, so the last start is 15:00.
    slots = day_slots(store=store, date=TUESDAY, minutes=120)

    assert times(slots) == [f"{hour:02d}:{minute:02d}" for hour in range(9, 16) for minute in (0, 30)][:-1]
    assert times(slots)[-1] == "15:00"
    assert slots[0].starts_at == datetime.datetime(2026, 12, 8, 9, 0, tzinfo=LAGOS)
    assert slots[0].ends_at == datetime.datetime(2026, 12, 8, 11, 0, tzinfo=LAGOS)
    assert times(slots, taken=True) == []


def test_slots_follow_the_merchants_own_hours_and_closed_days(store):
    week = {day: (datetime.time(9), datetime.time(17)) for day in range(7)}
    week[1] = (datetime.time(10), datetime.time(13))
    week[6] = (None, None)
    opening_hours_set(store=store, days=week, address="12 Admiralty Way, Lekki")

    assert times(day_slots(store=store, date=TUESDAY, minutes=90)) == ["10:00", "10:30", "11:00", "11:30"]
    assert day_slots(store=store, date=SUNDAY, minutes=30) == []
    assert OpeningHours.objects.filter(store=store).count() == 7


def test_existing_bookings_take_their_time_and_a_cancelled_one_gives_it_back(store, service):
    short = ProductFactory(store=store, name="Trim", stock_quantity=None)
    ServiceDuration.objects.create(product=short, minutes=60)
    booking = book(store, service, TUESDAY, "10:00")  # 10:00-12:00

    slots = day_slots(store=store, date=TUESDAY, minutes=60)

    assert times(slots, taken=True) == ["09:30", "10:00", "10:30", "11:00", "11:30"]
    assert times(slots, taken=False)[:2] == ["09:00", "12:00"]
    order_cancel(order=booking.order)
    assert times(day_slots(store=store, date=TUESDAY, minutes=60), taken=True) == []


def test_past_slots_are_not_offered_in_lagos_time(store):
    # 09:30 in Lagos: 09:00 and 09:30 have started (in UTC it would still be 08:30).
    assert times(day_slots(store=store, date=MONDAY, minutes=60))[:2] == ["10:00", "10:30"]


@pytest.mark.parametrize(
    ("date", "time", "message"),
    [
        (MONDAY, "09:00", "That time has passed: choose a later one."),
        (SUNDAY, "10:00", "Braids by Bisi is closed on Sundays: choose another day."),
        (
            TUESDAY,
            "16:00",
            "16:00 is not a time Braids by Bisi offers on Tuesday 8 December: choose a free time.",
        ),
        (
            TUESDAY,
            "10:15",
            "10:15 is not a time Braids by Bisi offers on Tuesday 8 December: choose a free time.",
        ),
        (datetime.date(2026, 12, 6), "10:00", "Choose today or a later date."),
        (datetime.date(2027, 3, 8), "10:00", "Bookings open up to 90 days ahead."),
    ],
)
def test_a_slot_outside_the_hours_or_in_the_past_is_refused_and_writes_nothing(
    store, service, date, time, message
):
    with pytest.raises(SlotUnavailable) as error:
        book(store, service, date, time)

    assert error.value.message == message
    assert (Order.objects.count(), Booking.objects.count(), IdempotencyKey.objects.count()) == (0, 0, 0)


def test_an_overlapping_booking_is_refused_with_a_409(store, service):
    book(store, service, TUESDAY, "10:00")

    with pytest.raises(SlotTaken) as error:
        book(store, service, TUESDAY, "11:30", token="t2", name="Ada", phone="0803 765 4321")

    assert error.value.http_status == 409
    assert error.value.message == "Someone has just booked 11:30 on Tuesday 8 December. Choose another time."
    assert (Order.objects.count(), Booking.objects.count()) == (1, 1)


def test_the_same_form_sent_twice_is_one_booking(store, service):
    first = book(store, service, TUESDAY, "10:00")
    second = book(store, service, TUESDAY, "10:00")

    assert first.pk == second.pk
    assert (Order.objects.count(), Booking.objects.count()) == (1, 1)
    assert (first.starts_at, first.minutes) == (datetime.datetime(2026, 12, 8, 10, tzinfo=LAGOS), 120)


def test_a_sold_out_service_cannot_be_booked(store, service):
    Product.objects.filter(pk=service.pk).update(stock_quantity=0)

    with pytest.raises(OutOfStock, match=r"^Braids is sold out\.$"):
        book(store, service, TUESDAY, "10:00")
    assert (Order.objects.count(), Booking.objects.count()) == (0, 0)


# --- The /book page ---


def page_form(client, store, service, query="") -> dict:
    text = client.get(f"/{store.username}/book?service={service.pk}{query}").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    return {"service": service.pk, "date": TUESDAY.isoformat(), "time": "10:00", **SHOPPER, "token": token}


def test_the_book_page_lists_the_free_times_of_the_chosen_day(client, store, service):
    book(store, service, TUESDAY, "10:00")

    text = client.get(f"/{store.username}/book?service={service.pk}&date=2026-12-08").content.decode()

    assert 'type="date" name="date" value="2026-12-08" min="2026-12-07" max="2027-03-07"' in text
    assert 'name="time" value="09:00" disabled>' in text  # 09:00-11:00 overlaps 10:00-12:00
    assert 'name="time" value="11:30" disabled>' in text
    assert 'name="time" value="12:00">' in text
    assert 'name="time" value="15:30"' not in text  # would end after 17:00
    assert "Time on Tuesday 8 December" in text


def test_the_book_page_opens_on_the_first_day_with_a_free_time(client, store, service):
    # Monday's last start for a 2-hour service is 15:00; at 16:00 in Lagos none is left.
    with time_machine.travel(datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC), tick=False):
        text = client.get(f"/{store.username}/book").content.decode()

    assert 'name="date" value="2026-12-08"' in text
    assert 'aria-current="date"' in text


def test_a_closed_day_says_so_and_offers_no_time(client, store, service):
    text = client.get(f"/{store.username}/book?service={service.pk}&date=2026-12-13").content.decode()

    assert "Braids by Bisi is closed on Sundays. Choose another day above." in text
    assert 'name="time"' not in text


def test_a_booking_from_the_page_is_a_pickup_order_with_its_slot(client, store, service):
    response = client.post(f"/{store.username}/book", page_form(client, store, service))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/{store.username}/orders/{order.order_number}"
    assert (order.customer_name, order.customer_phone, order.customer_email) == (
        "Ngozi",
        "+2348031234567",
        "ngozi@example.com",
    )
    assert order.customer_address["delivery_method"] == "pickup"
    assert (order.subtotal, order.shipping_fee) == (15000, 0)
    assert OrderItem.objects.get().variant_selection == {"Date": "2026-12-08", "Time": "10:00"}
    booking = Booking.objects.get()
    assert (booking.order, booking.product, booking.minutes) == (order, service, 120)


def test_a_taken_time_posted_from_a_stale_page_is_refused_with_the_days_times(client, store, service):
    form = page_form(client, store, service)
    book(store, service, TUESDAY, "11:00", token="other", name="Ada", phone="0803 765 4321")

    response = client.post(f"/{store.username}/book", form)

    text = response.content.decode()
    assert response.status_code == 409
    assert "Someone has just booked 10:00 on Tuesday 8 December. Choose another time." in text
    assert 'name="time" value="13:00">' in text
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"date": "not-a-date"}, 400, "Enter a valid date."),
        ({"time": ""}, 400, "Choose a time."),
        ({"time": "25:00"}, 400, "Choose one of the free times."),
        ({"time": "09:00", "date": "2026-12-07"}, 400, "That time has passed: choose a later one."),
        ({"date": "2026-12-13"}, 400, "Braids by Bisi is closed on Sundays: choose another day."),
        ({"phone": "12"}, 400, "Enter a valid Nigerian mobile number"),
        ({"name": ""}, 400, "This field is required."),
    ],
)
def test_a_bad_booking_is_refused_clearly_and_writes_nothing(client, store, service, change, status, message):
    response = client.post(f"/{store.username}/book", {**page_form(client, store, service), **change})

    assert response.status_code == status
    assert message in response.content.decode()
    assert (Order.objects.count(), Booking.objects.count(), IdempotencyKey.objects.count()) == (0, 0, 0)


def test_a_double_submitted_booking_is_one_order(client, store, service):
    form = page_form(client, store, service)
    first = client.post(f"/{store.username}/book", form)
    second = client.post(f"/{store.username}/book", form)

    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert (Order.objects.count(), Booking.objects.count()) == (1, 1)


def test_a_reused_form_with_other_details_is_refused_with_a_fresh_form(client, store, service):
    form = page_form(client, store, service)
    client.post(f"/{store.username}/book", form)

    response = client.post(f"/{store.username}/book", {**form, "time": "13:00"})

    text = response.content.decode()
    assert response.status_code == 409
    assert "This form was already used for a booking." in text
    assert f'name="token" value="{form["token"]}"' not in text
    assert (Order.objects.count(), Booking.objects.count()) == (1, 1)


def test_a_sold_out_service_is_shown_unavailable_and_cannot_be_booked(client, store, service):
    form = page_form(client, store, service)
    Product.objects.filter(pk=service.pk).update(stock_quantity=0)

    home = client.get(f"/{store.username}").content.decode()
    page = client.get(f"/{store.username}/book").content.decode()
    response = client.post(f"/{store.username}/book", form)

    assert "Unavailable" in home and f"/book?service={service.pk}" not in home
    assert "No services can be booked at the moment." in page
    assert response.status_code == 409
    assert "Braids is sold out." in response.content.decode()
    assert Order.objects.count() == 0


def test_the_home_page_lists_services_with_duration_and_price_and_the_week(client, store, service):
    opening_hours_set(
        store=store,
        days={**{day: (datetime.time(9), datetime.time(18)) for day in range(6)}, 6: (None, None)},
        address="12 Admiralty Way, Lekki",
    )

    text = client.get(f"/{store.username}").content.decode()

    assert 'data-layout="bookings"' in text
    assert "2 h" in text and "₦15,000" in text
    assert '<th scope="row">Sunday</th><td>Closed</td>' in text
    assert '<th scope="row">Monday</th><td>09:00\u201318:00</td>' in text
    assert "12 Admiralty Way, Lekki" in text


# --- The confirmation ---


def test_the_confirmation_speaks_of_an_appointment_on_the_page_by_email_and_sms(
    client, store, service, django_capture_on_commit_callbacks
):
    opening_hours_set(
        store=store,
        days={**{day: (datetime.time(9), datetime.time(17)) for day in range(6)}, 6: (None, None)},
        address="12 Admiralty Way, Lekki",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{store.username}/book", page_form(client, store, service))
    order = Order.objects.get()

    text = client.get(response["Location"]).content.decode()

    assert "See you on Tuesday 8 December 2026" in text
    assert "10:00 to 12:00" in text and "<dd>2 h</dd>" in text
    assert "12 Admiralty Way, Lekki" in text
    assert "Pickup" not in text and "order is placed" not in text
    assert "Pay ₦15,000 now" in text

    email = next(message for message in mail.outbox if message.to == ["ngozi@example.com"])
    assert email.subject == "Your appointment with Braids by Bisi on Tue 8 Dec at 10:00"
    assert (
        "Your appointment: Braids, Tuesday 8 December 2026 at 10:00 (2 h, until 12:00), "
        "at 12 Admiralty Way, Lekki." in email.body
    )
    assert "Pickup" not in email.body
    sms = DeliveryLog.objects.get(channel="sms", template="order_confirmed")
    assert sms.body_text == (
        f"Braids by Bisi: appointment {order.order_number} on Tue 8 Dec at 10:00. "
        f"Details: http://127.0.0.1:8000/track/{order.order_number}"
    )


def test_an_ordinary_order_keeps_its_pickup_wording(client):
    shop = StoreFactory(template_id=StoreTemplate.PRODUCTS)
    product = ProductFactory(store=shop)
    order = order_place(
        store=shop,
        customer=SHOPPER,
        lines=[{"product_id": product.pk, "quantity": 1}],
        delivery_method="pickup",
    )

    assert order.status == OrderStatus.PENDING
    assert (
        "Thank you! Your order is placed"
        in client.get(f"/{shop.username}/orders/{order.order_number}").content.decode()
    )


# --- order_place's own check of the slot's shape ---


def _place(store, product, slot, **line):
    return order_place(
        store=store,
        customer=SHOPPER,
        lines=[{"product_id": product.pk, "quantity": 1, **line}],
        delivery_method="pickup",
        booking_slot=slot,
    )


def test_order_place_records_the_slot_beside_the_services_own_options(store):
    service = ProductFactory(store=store, variations=[{"name": "Length", "options": ["Short", "Long"]}])

    order = _place(
        store, service, {"Date": "2026-12-08", "Time": "10:00"}, variant_selection={"Length": "Long"}
    )

    assert order.order_items.get().variant_selection == {
        "Length": "Long",
        "Date": "2026-12-08",
        "Time": "10:00",
    }


@pytest.mark.parametrize(
    ("slot", "quantity", "message"),
    [
        ({"Date": "2026-12-08"}, 1, "Choose a date and a time."),
        ({"Date": "1 Dec", "Time": "10:00"}, 1, "Choose a valid date."),
        ({"Date": "2026-12-08", "Time": "25:00"}, 1, "Choose a valid time."),
        ({"Date": "2026-12-08", "Time": "10:00"}, 2, "A booking is for one service at a time."),
    ],
)
def test_order_place_refuses_a_malformed_slot(store, service, slot, quantity, message):
    with pytest.raises(InvalidCheckout, match=message):
        _place(store, service, slot, quantity=quantity)
    assert Order.objects.count() == 0


def test_bookings_only_for_a_bookings_store():
    shop = StoreFactory(template_id=StoreTemplate.PRODUCTS)
    product = ProductFactory(store=shop)

    with pytest.raises(SlotUnavailable, match=r"^This store does not take bookings\.$"):
        book(shop, product, TUESDAY, "10:00")
    assert Order.objects.count() == 0
