from urllib.parse import urlencode

from django import forms

from analytics.periods import DEFAULT_PERIOD, PERIODS, InvalidPeriod, Period, period_resolve


class PeriodForm(forms.Form):
    """The period and store chooser of every analytics page: a plain GET form."""

    period = forms.ChoiceField(choices=list(PERIODS.items()), required=False, initial=DEFAULT_PERIOD)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    store = forms.ChoiceField(required=False)

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [("", "All stores")] + [(s.pk, s.display_name) for s in stores]

    def clean(self):
        data = super().clean()
        try:
            data["resolved"] = period_resolve(
                data.get("period") or DEFAULT_PERIOD, first=data.get("date_from"), last=data.get("date_to")
            )
        except InvalidPeriod as error:
            field = "date_from" if "from" in error.details else "date_to" if "to" in error.details else None
            self.add_error(field, error.message)
        return data

    def chosen(self) -> tuple[Period, str]:
        """The period and store asked for, or the defaults when the form is not valid."""
        if self.is_valid():
            return self.cleaned_data["resolved"], self.cleaned_data.get("store") or ""
        return period_resolve(DEFAULT_PERIOD), ""

    def query(self) -> str:
        """The chosen period and store as a query string, for links between reports."""
        if not self.is_valid():
            return ""
        return urlencode({k: v for k, v in self.data.items() if k in self.fields and v})
