from typing import cast

from django import forms

from orders import geography
from orders.models import Coupon, CouponKind, OrderStatus, PaymentStatus
from orders.pricing import DeliveryMethod
from orders.services import COUPON_FIELDS, MAX_QUANTITY


def state_choices():
    return [("", "Choose a state")] + [(state, state) for state in geography.state_names()]


def lga_choices():
    """All 774 LGAs grouped by state, so the page works without JavaScript."""
    return [("", "Choose an LGA")] + [
        (state, [(lga, lga) for lga in lgas]) for state, lgas in geography.lgas_by_state().items()
    ]


def lga_choices_for(state: str | None):
    """The chosen state's LGAs only; every state's, grouped, while no state is chosen."""
    state = geography.canonical_state(state or "")
    if state is None:
        return lga_choices()
    return [("", f"Choose an LGA of {state}")] + [(lga, lga) for lga in geography.lgas_by_state()[state]]


class CartAddForm(forms.Form):
    product_id = forms.CharField(max_length=36)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, initial=1)


class CartUpdateForm(forms.Form):
    key = forms.CharField(max_length=2000)
    quantity = forms.IntegerField(min_value=0, max_value=MAX_QUANTITY)


class CheckoutForm(forms.Form):
    name = forms.CharField(max_length=255, label="Full name")
    phone = forms.CharField(max_length=30, help_text="For delivery updates, e.g. 0803 123 4567.")
    email = forms.EmailField(required=False, help_text="Optional: we send your receipt here.")
    delivery_method = forms.ChoiceField(
        choices=DeliveryMethod.CHOICES, initial=DeliveryMethod.DELIVERY, widget=forms.RadioSelect
    )
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    state = forms.ChoiceField(required=False, choices=state_choices)
    lga = forms.ChoiceField(required=False, choices=lga_choices, label="LGA")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    coupon = forms.CharField(required=False, max_length=40, label="Coupon code")
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The total the breakdown showed: the order is placed only at that figure (orders.pricing).
    shown_total = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=2, min_value=0
    )

    def __init__(self, *args, state: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lga"]).choices = lga_choices_for(state)


class WhatsAppOrderForm(CheckoutForm):
    """Checkout's details without a coupon: "Order on WhatsApp" is the short way to order."""

    coupon = None  # type: ignore[assignment]  # Django's way to drop an inherited field
    # where the lines come from: the product page's fields, or the shopper's cart
    origin = forms.ChoiceField(choices=[("product", "product"), ("cart", "cart")], widget=forms.HiddenInput)


class WhatsAppMessageForm(forms.Form):
    text = forms.CharField(label="Message", max_length=1500, widget=forms.Textarea(attrs={"rows": 6}))


class TrackForm(forms.Form):
    contact = forms.CharField(max_length=255, label="Phone number or email used for the order")


class OrderFilterForm(forms.Form):
    store = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *OrderStatus.choices])
    payment_status = forms.ChoiceField(required=False, choices=[("", "Any payment"), *PaymentStatus.choices])
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(required=False, max_length=100, label="Search number, name or phone")

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [("", "All stores")] + [(s.pk, s.display_name) for s in stores]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=OrderStatus.choices)
    note = forms.CharField(required=False, max_length=2000, label="Internal note (only you see it)")
    customer_message = forms.CharField(
        required=False, max_length=2000, label="Message to the customer (on their tracking page)"
    )


class DeliverySettingsForm(forms.Form):
    default_fee = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, initial=0)
    free_pickup = forms.BooleanField(required=False, initial=True, label="Offer free pickup")
    free_delivery_threshold = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Free delivery from (₦)"
    )


class DeliveryRateForm(forms.Form):
    state = forms.ChoiceField(choices=state_choices)
    lga = forms.ChoiceField(required=False, choices=lga_choices, label="LGA (optional)")
    fee = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2)


class CouponForm(forms.ModelForm):
    class Meta:
        model = Coupon
        fields = list(COUPON_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    kind = forms.ChoiceField(choices=CouponKind.choices)

    def validate_unique(self):
        """Uniqueness of the code is the service's to check (it knows the store)."""
