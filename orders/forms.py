from typing import cast

from django import forms

from orders import geography
from orders.models import Coupon, CouponKind, DepositKind, OrderStatus, PaymentStatus, RefundPolicy
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

    # Shown only where the store takes pay on delivery (orders/pod.py decides where).
    payment_plan = forms.ChoiceField(
        required=False,
        choices=[("pay_now", "Pay now"), ("pay_on_delivery", "Pay on delivery")],
        widget=forms.RadioSelect,
    )
    shown_deposit = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=2, min_value=0
    )

    def __init__(self, *args, state: str | None = None, recovery_consent: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lga"]).choices = lga_choices_for(state)
        if recovery_consent:
            # Only where the store collects abandoned checkouts; never ticked for the shopper.
            self.fields["recovery_consent"] = forms.BooleanField(required=False, label=recovery_consent)


class WhatsAppOrderForm(CheckoutForm):
    """Checkout's details without a coupon: "Order on WhatsApp" is the short way to order."""

    coupon = None  # type: ignore[assignment]  # Django's way to drop an inherited field
    # where the lines come from: the product page's fields, or the shopper's cart
    origin = forms.ChoiceField(choices=[("product", "product"), ("cart", "cart")], widget=forms.HiddenInput)


class WhatsAppMessageForm(forms.Form):
    text = forms.CharField(label="Message", max_length=1500, widget=forms.Textarea(attrs={"rows": 6}))


class CheckoutCaptureForm(forms.Form):
    """What the checkout page posts as the shopper types (storefront.js), all of it optional."""

    name = forms.CharField(required=False, max_length=255)
    phone = forms.CharField(required=False, max_length=30)
    email = forms.CharField(required=False, max_length=255)
    recovery_consent = forms.BooleanField(required=False)


class RecoverySettingsForm(forms.Form):
    unpaid_reminders = forms.IntegerField(
        min_value=0, max_value=3, label="Reminders for an unpaid order", help_text="0 turns them off."
    )
    unpaid_delay_minutes = forms.IntegerField(
        min_value=5,
        max_value=35,
        label="Minutes before each reminder",
        help_text="The transfer account lasts 40 minutes: reminders come before it lapses.",
    )
    expired_message = forms.BooleanField(
        required=False, label='Send "your items are still available" when an order expires unpaid'
    )
    abandoned_checkouts = forms.BooleanField(
        required=False,
        label="Remind shoppers who left the checkout",
        help_text="Only shoppers who tick the reminder box at checkout, with a phone or email.",
    )
    abandoned_reminders = forms.IntegerField(min_value=0, max_value=3, label="Reminders for a left checkout")
    abandoned_delay_minutes = forms.IntegerField(
        min_value=15, max_value=1440, label="Minutes after the shopper stopped"
    )


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


PAYMENT_REQUEST_LINES = 5


class PaymentRequestForm(forms.Form):
    """An order the merchant places for a shopper: up to five lines of the chosen store's products."""

    name = forms.CharField(max_length=255, label="Customer's name")
    phone = forms.CharField(
        max_length=30, label="Customer's phone", help_text="The pay link goes here by SMS."
    )
    email = forms.EmailField(required=False, label="Customer's email (optional)")
    delivery_method = forms.ChoiceField(
        choices=[
            (DeliveryMethod.DELIVERY, "Deliver to the customer"),
            (DeliveryMethod.PICKUP, "The customer picks it up"),
        ],
        initial=DeliveryMethod.DELIVERY,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    state = forms.ChoiceField(required=False, choices=state_choices)
    lga = forms.ChoiceField(required=False, choices=lga_choices, label="LGA")
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a product")] + [(product.pk, product.name) for product in products]
        for number in range(1, PAYMENT_REQUEST_LINES + 1):
            self.fields[f"product_{number}"] = forms.ChoiceField(
                required=number == 1, choices=choices, label=f"Item {number}"
            )
            self.fields[f"quantity_{number}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=MAX_QUANTITY,
                initial=1,
                label=f"Quantity of item {number}",
            )

    def lines(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"product_id": data[f"product_{number}"], "quantity": data.get(f"quantity_{number}") or 1}
            for number in range(1, PAYMENT_REQUEST_LINES + 1)
            if data.get(f"product_{number}")
        ]


class PodSettingsForm(forms.Form):
    """Pay on delivery (orders.services.pod_settings_update checks the amounts again)."""

    enabled = forms.BooleanField(required=False, label="Take pay on delivery")
    states = forms.MultipleChoiceField(
        required=False,
        choices=lambda: [(state, state) for state in geography.state_names()],
        widget=forms.CheckboxSelectMultiple,
        label="Whole states",
    )
    lgas = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Or only some LGAs",
        help_text="One a line as State / LGA, e.g. Ogun / Abeokuta South.",
    )
    deposit_kind = forms.ChoiceField(
        choices=DepositKind.choices, widget=forms.RadioSelect, label="The deposit is"
    )
    deposit_value = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        label="Deposit",
        help_text="A percentage (1 to 99) or an amount in naira; never less than ₦500 an order.",
    )
    refund_policy = forms.ChoiceField(
        choices=RefundPolicy.choices,
        widget=forms.RadioSelect,
        label="If an order is cancelled after the deposit",
    )
    refund_keep_percent = forms.DecimalField(
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        label="Share of the deposit you keep (%)",
        help_text="Only with “Keep a percentage”: 1 to 90.",
    )

    def areas(self) -> list[dict]:
        """The states ticked and the State / LGA lines, for the service to check."""
        areas = [{"state": state, "lga": ""} for state in self.cleaned_data["states"]]
        for line in self.cleaned_data["lgas"].splitlines():
            if line.strip():
                state, _slash, lga = line.partition("/")
                areas.append({"state": state.strip(), "lga": lga.strip() or "-"})
        return areas
