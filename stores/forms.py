"""HTML forms of the storefront (booking request, enquiry) and of the dashboard (onboarding,
store settings). They translate form input for the services; the rules live there."""

import datetime

from django import forms
from django.utils import timezone

from notifications.phone_numbers import InvalidPhoneNumber, normalise_phone
from stores.branding import COLOUR_KEYS, DEFAULT_COLOURS, DEFAULT_FONT, FONTS, SOCIAL_NETWORKS
from stores.models import StoreTemplate

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
    # One per rendered form: a second press of the button places no second order.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

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

    def booking_slot(self) -> dict:
        """The slot as order_place records it in the order item's variant selection."""
        return {"Date": self.cleaned_data["date"].isoformat(), "Time": self.cleaned_data["slot"]}


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


FONT_CHOICES = [(key, label) for key, (label, _stack) in FONTS.items()]
TEMPLATE_HELP = {
    StoreTemplate.PRODUCTS: "A shop: featured and all products, categories, search.",
    StoreTemplate.BOOKINGS: "Services with prices and durations; customers request a date and time.",
    StoreTemplate.PORTFOLIO: "A gallery of your work and an enquiry form.",
}


class BusinessForm(forms.Form):
    display_name = forms.CharField(label="Business name", max_length=100)
    username = forms.CharField(
        label="Store link",
        max_length=30,
        help_text="3 to 30 lower-case letters, digits and single hyphens. It cannot be changed later.",
    )


class TemplateForm(forms.Form):
    template_id = forms.ChoiceField(
        label="Template",
        choices=[(value, f"{label}: {TEMPLATE_HELP[value]}") for value, label in StoreTemplate.choices],
        widget=forms.RadioSelect,
    )


class BrandingForm(forms.Form):
    primary = forms.CharField(
        label="Primary colour", required=False, widget=forms.TextInput(attrs={"type": "color"})
    )
    secondary = forms.CharField(
        label="Secondary colour", required=False, widget=forms.TextInput(attrs={"type": "color"})
    )
    accent = forms.CharField(
        label="Accent colour", required=False, widget=forms.TextInput(attrs={"type": "color"})
    )
    heading_font = forms.ChoiceField(label="Heading font", choices=FONT_CHOICES)
    body_font = forms.ChoiceField(label="Body font", choices=FONT_CHOICES)
    logo = forms.FileField(
        label="Logo (JPEG, PNG or WebP)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    banner = forms.FileField(
        label="Banner (JPEG, PNG or WebP)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    @classmethod
    def initial_for(cls, store) -> dict:
        colours = store.custom_colors or {}
        fonts = store.custom_fonts or {}
        return {
            **{key: colours.get(key, DEFAULT_COLOURS[key]) for key in COLOUR_KEYS},
            "heading_font": fonts.get("heading", DEFAULT_FONT),
            "body_font": fonts.get("body", DEFAULT_FONT),
        }

    def store_data(self) -> dict:
        data = self.cleaned_data
        return {
            "custom_colors": {key: data[key] for key in COLOUR_KEYS if data.get(key)},
            "custom_fonts": {"heading": data["heading_font"], "body": data["body_font"]},
        }


class FirstProductForm(forms.Form):
    name = forms.CharField(label="Product or service name", max_length=255)
    price = forms.CharField(label="Price (₦)", max_length=20)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StoreSettingsForm(BrandingForm):
    display_name = forms.CharField(label="Business name", max_length=100)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.CharField(label="Category", required=False, max_length=100)
    template_id = TemplateForm.base_fields["template_id"]
    whatsapp = forms.CharField(label="WhatsApp number", required=False, max_length=20)
    field_order = ["display_name", "description", "category", "template_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for network in SOCIAL_NETWORKS:
            self.fields[network] = forms.CharField(
                label=f"{network.capitalize()} link",
                required=False,
                max_length=500,
                widget=forms.URLInput(attrs={"placeholder": "https://"}),
            )

    def social_fields(self) -> list:
        """The social link fields, which the settings page groups with WhatsApp."""
        return [self[network] for network in SOCIAL_NETWORKS]

    @classmethod
    def initial_for(cls, store) -> dict:
        return {
            **BrandingForm.initial_for(store),
            "display_name": store.display_name,
            "description": store.description,
            "category": store.category,
            "template_id": store.template_id,
            **(store.social_links or {}),
        }

    def store_data(self) -> dict:
        data = self.cleaned_data
        return {
            **super().store_data(),
            "display_name": data["display_name"],
            "description": data["description"],
            "category": data["category"],
            "template_id": data["template_id"],
            "social_links": {key: data[key] for key in (*SOCIAL_NETWORKS, "whatsapp") if data.get(key)},
        }
