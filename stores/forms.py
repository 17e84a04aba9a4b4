"""HTML forms of the storefront (booking request, enquiry) and of the dashboard (onboarding,
store settings). They translate form input for the services; the rules live there."""

import datetime

from django import forms
from django.utils import timezone

from notifications.phone_numbers import InvalidPhoneNumber, normalise_phone
from stores.presentation import product_duration_minutes

BOOKING_SLOTS = [f"{hour:02d}:00" for hour in range(9, 18)]
BOOKING_DAYS_AHEAD = 90


def _phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except InvalidPhoneNumber as error:
        raise forms.ValidationError(error.message) from None


class BookingForm(forms.Form):
    service = forms.ChoiceField(label="Service")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    slot = forms.ChoiceField(label="Time", choices=[(slot, slot) for slot in BOOKING_SLOTS])
    name = forms.CharField(label="Your name", max_length=100)
    phone = forms.CharField(label="Phone number", max_length=20)
    email = forms.EmailField(label="Email (optional)", required=False)
    note = forms.CharField(
        label="Anything we should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(service.pk): service for service in services}
        self.fields["service"].choices = [(pk, service.name) for pk, service in self.services.items()]
        today = timezone.localdate()
        self.fields["date"].widget.attrs.update(
            min=today.isoformat(), max=(today + datetime.timedelta(days=BOOKING_DAYS_AHEAD)).isoformat()
        )

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if date < today:
            raise forms.ValidationError("Choose today or a later date.")
        if date > today + datetime.timedelta(days=BOOKING_DAYS_AHEAD):
            raise forms.ValidationError(f"Bookings open up to {BOOKING_DAYS_AHEAD} days ahead.")
        return date

    def clean(self):
        cleaned = super().clean()
        date, slot = cleaned.get("date"), cleaned.get("slot")
        if date and slot and date == timezone.localdate():
            hour, minute = (int(part) for part in slot.split(":"))
            if datetime.time(hour, minute) <= timezone.localtime().time():
                self.add_error("slot", "That time has passed today: choose a later one.")
        return cleaned

    @property
    def chosen_service(self):
        return self.services[self.cleaned_data["service"]]

    def variant_selection(self) -> dict:
        """The slot as the order item's variant selection records it."""
        return {
            "booking_date": self.cleaned_data["date"].isoformat(),
            "booking_time": self.cleaned_data["slot"],
            "duration_minutes": product_duration_minutes(self.chosen_service),
        }


class EnquiryForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone number", required=False, max_length=20)
    message = forms.CharField(label="Message", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    # Left empty by people; bots fill every field.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return _phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors.get("phone"):
            raise forms.ValidationError("Give an email address or a phone number so the merchant can reply.")
        return cleaned
