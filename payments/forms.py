from decimal import Decimal

from django import forms


class BankAccountForm(forms.Form):
    bank_code = forms.ChoiceField(label="Bank")
    account_number = forms.RegexField(
        regex=r"^\d{10}$",
        label="Account number",
        error_messages={"invalid": "Enter the 10-digit account number."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 10}),
    )

    def __init__(self, *args, banks: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_code"].choices = [
            ("", "Choose your bank"),
            *((b["code"], b["name"]) for b in banks),
        ]


class PayoutForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (₦)", max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    bank_account_id = forms.ChoiceField(label="To")

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account_id"].choices = [
            (str(a.pk), f"{a.bank_name} {a.account_number} ({a.account_name})") for a in accounts
        ]


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (₦)", max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label="Reason", max_length=64)
