"""The shopper's booking page of a bookings store, /<username>/book, without JavaScript:
a GET form picks the service and the day and lists that day's free times; the POST form
books one of them through orders.bookings.booking_place and goes on to the order page."""

import datetime
import secrets

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import ServiceError
from config.phone_numbers import InvalidPhoneNumber, normalise_phone
from orders import bookings, cart, pricing
from orders.appointments import Appointment
from orders.selectors import payment_open_for_order
from orders.services import IdempotencyConflict
from stores.models import StoreTemplate
from stores.opening_hours import opening_hours_week
from stores.selectors import store_get_live
from stores.seo import store_meta
from stores.views import _context as storefront_context

# The day strip under the date picker: this many days from today, as plain links.
DAY_STRIP_LENGTH = 7


class BookingDayForm(forms.Form):
    """Which service, which day (the GET form)."""

    service = forms.ChoiceField(label="Service", required=False)
    date = forms.DateField(label="Day", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(service.pk, service.name) for service in services]


class BookingForm(forms.Form):
    """The appointment request (the POST form). The time is checked by booking_place."""

    service = forms.CharField(widget=forms.HiddenInput, max_length=36)
    date = forms.DateField(widget=forms.HiddenInput)
    time = forms.RegexField(
        label="Time",
        regex=r"^(?:[01]\d|2[0-3]):[0-5]\d$",
        error_messages={"required": "Choose a time.", "invalid": "Choose one of the free times."},
    )
    name = forms.CharField(label="Your name", max_length=100)
    phone = forms.CharField(label="Phone number", max_length=20)
    email = forms.EmailField(label="Email (optional)", required=False)
    note = forms.CharField(
        label="Anything we should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # One per rendered form: a second press of the button books nothing twice.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhoneNumber as error:
            raise forms.ValidationError(error.message) from None


def _first_day_with_free_time(store, service, start: datetime.date) -> datetime.date:
    """From `start`, the first day within the strip that has a free time; else `start`."""
    minutes = bookings.service_minutes(service)
    for offset in range(DAY_STRIP_LENGTH):
        day = start + datetime.timedelta(days=offset)
        if any(not slot.taken for slot in bookings.day_slots(store=store, date=day, minutes=minutes)):
            return day
    return start


def _day_strip(week, today: datetime.date) -> list[dict]:
    return [
        {"date": day, "closed": week[day.weekday()].closed}
        for day in (today + datetime.timedelta(days=offset) for offset in range(DAY_STRIP_LENGTH))
    ]


@require_http_methods(["GET", "POST"])
def book_page(request, username):
    store = store_get_live(username=username)
    if store.template_id != StoreTemplate.BOOKINGS:
        raise Http404("This store does not take bookings")
    services = bookings.bookable_services(store=store)
    by_id = {service.pk: service for service in services}
    first_day, last_day = bookings.booking_window()
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST)
        if form.is_valid():
            try:
                booking = _place(store, form.cleaned_data)
            except IdempotencyConflict:
                # The form already booked and was changed since: the same details in a fresh
                # form, to be sent again on purpose.
                fresh = request.POST.copy()
                fresh["token"] = secrets.token_urlsafe(24)
                form = BookingForm(fresh)
                form.is_valid()
                form.add_error(
                    None, "This form was already used for a booking. Check the details and send it again."
                )
                status = 409
            except ServiceError as error:
                form.add_error("time" if "time" in error.details else None, error.message)
                status = error.http_status
            else:
                cart.order_remember_placed(request.session, order_number=booking.order.order_number)
                return redirect(
                    "storefront:orders_storefront:placed",
                    username=store.username,
                    order_number=booking.order.order_number,
                )
        else:
            status = 400
        service = by_id.get(request.POST.get("service", ""))
        day = form.cleaned_data.get("date")
    else:
        picker = BookingDayForm(request.GET, services=services)
        picker.is_valid()
        service = by_id.get(picker.cleaned_data.get("service") or "") or (services[0] if services else None)
        day = picker.cleaned_data.get("date")
        if day is None and service is not None:
            day = _first_day_with_free_time(store, service, first_day)
        form = None
    day = day if day and first_day <= day <= last_day else first_day
    if form is None and service is not None:
        form = BookingForm(initial={"service": service.pk, "date": day, "token": secrets.token_urlsafe(24)})
    week = opening_hours_week(store=store)
    slots = (
        bookings.day_slots(store=store, date=day, minutes=bookings.service_minutes(service))
        if service
        else []
    )
    meta = store_meta(store, path="/book", title=f"Book · {store.display_name}")
    context = storefront_context(
        request,
        store,
        meta,
        cached=False,
        services=services,
        service=service,
        day=day,
        first_day=first_day,
        last_day=last_day,
        slots=slots,
        free_count=sum(1 for slot in slots if not slot.taken),
        taken_count=sum(1 for slot in slots if slot.taken),
        closed=week[day.weekday()].closed,
        day_strip=_day_strip(week, first_day),
        form=form,
        chosen_time=form.data.get("time", "") if form is not None and form.is_bound else "",
    )
    return render(request, "storefront/bookings/book.html", context, status=status)


def _place(store, data):
    return bookings.booking_place(
        store=store,
        service_id=data["service"],
        date=data["date"],
        time=data["time"],
        customer={
            "name": data["name"],
            "phone": data["phone"],
            "email": data["email"],
            "notes": data["note"],
        },
        idempotency_key="booking:" + data["token"],
    )


def appointment_placed_page(request, *, store, order, appointment: Appointment, mine: bool):
    """The order page of a booking (orders.views.order_placed_page sends bookings here): it
    speaks of the appointment, its day, time, length and place, not of a pickup."""
    meta = store_meta(store, path=f"/orders/{order.order_number}", title=f"Appointment {order.order_number}")
    context = storefront_context(
        request,
        store,
        meta,
        cached=False,
        order=order,
        appointment=appointment,
        show_customer=mine,
        payment=payment_open_for_order(order=order),
        service_fee=pricing.fee_charged_to_customer(order),
    )
    return render(request, "storefront/bookings/placed.html", context)
