"""Dashboard forms. They carry the merchant's raw input to the services, which check it
(catalog/validation.py); service errors are put back on the matching fields."""

from django import forms

from catalog.csv_format import parse_variations, product_values
from catalog.durations import MAX_MINUTES, MIN_MINUTES
from catalog.selectors import ACTIVE_FILTERS
from catalog.services import BULK_ACTIONS
from catalog.validation import DIMENSION_UNITS, LABELS, MAX_IMAGES, ProductInvalid
from config.images import MAX_UPLOAD_BYTES, thumbnail_url
from stores.models import StoreTemplate
from stores.presentation import product_duration_minutes


class UncheckedChoiceField(forms.ChoiceField):
    """A select whose submitted value is not checked against its choices. The choices are
    the merchant's own stores (or categories); the services answer another merchant's
    store id with NotFound (a 404), as everywhere else, rather than a form error."""

    def valid_value(self, value):
        return True


class IdsField(forms.MultipleChoiceField):
    """Product ids from the list's checkboxes; the service checks they are the merchant's."""

    def valid_value(self, value):
        return True


MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


class ProductForm(forms.Form):
    store = UncheckedChoiceField(label="Store")
    name = forms.CharField(label="Name", required=False)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    price = forms.CharField(label="Price (₦)", required=False, widget=forms.TextInput(attrs=MONEY_ATTRS))
    compare_at_price = forms.CharField(
        label="Compare-at price (₦)",
        required=False,
        help_text="The old price, shown crossed out. Must be above the price.",
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )
    cost_price = forms.CharField(
        label="Cost price (₦)",
        required=False,
        help_text="What the item costs you. Shoppers never see it.",
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )
    sku = forms.CharField(label="SKU", required=False)
    barcode = forms.CharField(label="Barcode", required=False)
    stock_quantity = forms.CharField(
        label="Stock quantity",
        required=False,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    low_stock_threshold = forms.CharField(
        label="Low-stock threshold",
        required=False,
        initial="5",
        help_text="The list flags the product when stock falls to this number.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    weight = forms.CharField(
        label="Weight (kg)", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    length = forms.CharField(
        label="Length", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    width = forms.CharField(
        label="Width", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    height = forms.CharField(
        label="Height", required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    dimension_unit = forms.ChoiceField(
        label="Unit", required=False, choices=[("", "—"), *((unit, unit) for unit in DIMENSION_UNITS)]
    )
    variations = forms.CharField(
        label="Variations",
        required=False,
        help_text="One per line, options separated by |, e.g. “Size: S | M | L”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.CharField(label="Category", required=False)
    tags = forms.CharField(label="Tags", required=False, help_text="Separated by commas.")
    is_active = forms.BooleanField(label="Active (shown in your store)", required=False, initial=True)
    is_featured = forms.BooleanField(label="Featured on your store's home page", required=False)

    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        required=False,
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        help_text="How long the appointment takes; the free times shoppers see follow it.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "5"}),
    )

    DIMENSION_FIELDS = ("length", "width", "height", "dimension_unit")
    # Kept by catalog.durations, not by product_create/product_update.
    OWN_TABLE_FIELDS = ("duration_minutes",)

    def __init__(self, *args, stores, product=None, **kwargs):
        if product is not None:
            kwargs.setdefault("initial", self.initial_for(product))
        super().__init__(*args, **kwargs)
        self.product = product
        self.fields["store"].choices = [
            (store.pk, f"{store.display_name} (/{store.username})") for store in stores
        ]
        if product is not None:
            del self.fields["store"]
        elif len(stores) == 1:
            self.fields["store"].initial = stores[0].pk
        self.keep_choices = [(url, thumbnail_url(url)) for url in (product.images or [])] if product else []
        # Only a bookings store's services have a duration.
        store_templates = {product.store.template_id} if product else {store.template_id for store in stores}
        if StoreTemplate.BOOKINGS not in store_templates:
            del self.fields["duration_minutes"]

    @staticmethod
    def initial_for(product) -> dict:
        return {
            **product_values(product, variations_separator="\n", unit_default=""),
            "is_active": bool(product.is_active),
            "is_featured": bool(product.is_featured),
            "duration_minutes": product_duration_minutes(product),
        }

    def product_data(self, kept_images: list[str] | None = None) -> dict:
        """The cleaned form as input for product_create/product_update."""
        values = self.cleaned_data
        data = {
            field: values[field]
            for field in self.fields
            if field not in ("store", "variations", *self.DIMENSION_FIELDS, *self.OWN_TABLE_FIELDS)
        }
        parts = [values[field].strip() for field in self.DIMENSION_FIELDS]
        data["dimensions"] = (
            {"length": parts[0], "width": parts[1], "height": parts[2], "unit": parts[3]}
            if any(parts)
            else None
        )
        try:
            data["variations"] = (
                parse_variations(values["variations"]) if values["variations"].strip() else None
            )
        except ValueError as error:
            self.add_error("variations", str(error))
        if kept_images is not None:
            data["images"] = kept_images
        return data

    def add_service_errors(self, invalid: ProductInvalid) -> None:
        for field, messages in invalid.errors.items():
            for message in messages:
                if field == "dimensions":
                    self.add_error("length", message)
                elif field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, f"{LABELS.get(field, field)}: {message}")


def uploaded_images_problem(files) -> str | None:
    if len(files) > MAX_IMAGES:
        return f"Choose at most {MAX_IMAGES} images."
    for upload in files:
        if upload.size > MAX_UPLOAD_BYTES:
            return f"{upload.name} is larger than 10 MB."
    return None


class ProductFilterForm(forms.Form):
    search = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "Name, SKU or barcode"}),
    )
    store = UncheckedChoiceField(required=False, label="Store")
    category = UncheckedChoiceField(required=False, label="Category")
    active = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "All"), *((value, value.title()) for value in ACTIVE_FILTERS)],
    )
    low_stock = forms.BooleanField(required=False, label="Low stock only")

    def __init__(self, *args, stores, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [
            ("", "All stores"),
            *((store.pk, store.display_name) for store in stores),
        ]
        self.fields["category"].choices = [("", "All categories"), *((name, name) for name in categories)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        values = self.cleaned_data
        return {
            "search": values["search"],
            "store_id": values["store"],
            "category": values["category"],
            "active": values["active"],
            "low_stock": values["low_stock"],
        }


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action.title()) for action in BULK_ACTIONS])
    ids = IdsField(required=False)


class ImportForm(forms.Form):
    store = UncheckedChoiceField(label="Store")
    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )

    def __init__(self, *args, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [
            (store.pk, f"{store.display_name} (/{store.username})") for store in stores
        ]
