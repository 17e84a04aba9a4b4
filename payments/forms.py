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
