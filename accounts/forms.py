from django import forms

from accounts.models import UserSettings
from accounts.services import SETTINGS_FIELDS

CODE = {"regex": r"^\d{6}$", "error_messages": {"invalid": "Enter the 6-digit code."}}


def _password(label="Password", autocomplete="new-password"):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class LoginForm(forms.Form):
    email = forms.CharField(max_length=255, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = _password(autocomplete="current-password")
    remember = forms.BooleanField(label="Keep me signed in on this device", required=False)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="6-digit code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        **CODE,
    )


class ConfirmedPasswordMixin:
    """A second entry of the new password, as people expect on a sign-up or reset form."""

    password_field = "password"

    def clean(self):
        data = super().clean()
        if data.get(self.password_field) and data.get(self.password_field) != data.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords do not match.")
        return data


class SignupForm(ConfirmedPasswordMixin, forms.Form):
    full_name = forms.CharField(max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(max_length=255, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="A Nigerian mobile number, like 0803 123 4567.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = _password()
    password_confirm = _password("Password again")


class ForgotPasswordForm(forms.Form):
    email = forms.CharField(max_length=255, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ResetPasswordForm(ConfirmedPasswordMixin, forms.Form):
    password_field = "new_password"

    email = forms.CharField(max_length=255, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    code = forms.RegexField(label="6-digit code from the email", **CODE)
    new_password = _password("New password")
    password_confirm = _password("New password again")


class PasswordChangeForm(ConfirmedPasswordMixin, forms.Form):
    password_field = "new_password"

    current_password = _password("Current password", "current-password")
    new_password = _password("New password")
    password_confirm = _password("New password again")


class ProfileForm(forms.Form):
    full_name = forms.CharField(max_length=255)
    phone = forms.CharField(
        label="Phone number", max_length=30, help_text="Changing it sends a code to the new number."
    )
    avatar = forms.FileField(label="Profile picture", required=False, help_text="JPEG, PNG, WebP or GIF.")


class SettingsForm(forms.ModelForm):
    timezone = forms.CharField(max_length=50)

    class Meta:
        model = UserSettings
        fields = SETTINGS_FIELDS
        labels = {
            "two_factor_enabled": "Ask for an emailed code when I sign in",
            "login_alerts": "Email me when someone signs in to my account",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The seed's booleans are nullable; on this page they are plain checkboxes.
        for name, field in self.fields.items():
            if isinstance(field, forms.NullBooleanField):
                self.fields[name] = forms.BooleanField(label=field.label, required=False)


class DeleteAccountForm(forms.Form):
    password = _password("Your password", "current-password")
    confirm = forms.BooleanField(label="I understand my account and stores will be closed for good.")
