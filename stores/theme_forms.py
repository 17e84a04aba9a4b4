"""Dashboard forms of the bookings and portfolio themes: opening hours, testimonials. They
translate the merchant's input; stores.opening_hours and stores.portfolio check it."""

from django import forms

from stores.models import Weekday
from stores.opening_hours import ADDRESS_MAX_LENGTH, DayHours
from stores.portfolio import AUTHOR_MAX_LENGTH, DETAIL_MAX_LENGTH, QUOTE_MAX_LENGTH

TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": "900"}, format="%H:%M")


class OpeningHoursForm(forms.Form):
    """Per weekday: a "closed" tick and an opening and closing time (fields day<N>_…)."""

    address = forms.CharField(
        label="Where appointments take place",
        required=False,
        max_length=ADDRESS_MAX_LENGTH,
        help_text="Shown on the booking confirmation, e.g. “12 Admiralty Way, Lekki Phase 1, Lagos”.",
    )

    def __init__(self, *args, week: list[DayHours], **kwargs):
        super().__init__(*args, **kwargs)
        for day in week:
            prefix = f"day{day.weekday}"
            self.fields[f"{prefix}_closed"] = forms.BooleanField(
                label=f"Closed on {day.label}", required=False, initial=day.closed
            )
            self.fields[f"{prefix}_opens"] = forms.TimeField(
                label=f"{day.label} opens", required=False, widget=TIME_WIDGET, initial=day.opens_at
            )
            self.fields[f"{prefix}_closes"] = forms.TimeField(
                label=f"{day.label} closes", required=False, widget=TIME_WIDGET, initial=day.closes_at
            )
        self.week = week

    def rows(self):
        """(day, closed field, opens field, closes field) per weekday, for the template."""
        return [
            (
                day,
                self[f"day{day.weekday}_closed"],
                self[f"day{day.weekday}_opens"],
                self[f"day{day.weekday}_closes"],
            )
            for day in self.week
        ]

    def days(self) -> dict[int, tuple]:
        data = self.cleaned_data
        result = {}
        for weekday in Weekday.values:
            if data.get(f"day{weekday}_closed"):
                result[weekday] = (None, None)
            else:
                result[weekday] = (data.get(f"day{weekday}_opens"), data.get(f"day{weekday}_closes"))
        return result


class TestimonialForm(forms.Form):
    author = forms.CharField(label="Client's name", max_length=AUTHOR_MAX_LENGTH)
    detail = forms.CharField(
        label="Detail (optional)",
        required=False,
        max_length=DETAIL_MAX_LENGTH,
        help_text="What you did for them or where, e.g. “Wedding, Ikoyi”.",
    )
    quote = forms.CharField(
        label="What they said",
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EnquiryFilterForm(forms.Form):
    store = forms.ChoiceField(label="Store", required=False)
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All"), ("unread", "Unread"), ("unreplied", "Not replied")],
    )

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [
            ("", "All stores"),
            *((store.pk, store.display_name) for store in stores),
        ]
