"""Product input rules, shared by the API, the dashboard forms and the CSV import.

Every surface hands the raw values (strings from a form or a CSV cell, JSON values from
the API) to `clean_product_data`, so a merchant gets the same message for the same mistake
wherever it is made.
"""

import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from config.errors import ServiceError
from config.money import MONEY_MAX, to_kobo

WEIGHT_MAX = Decimal("99999999.99")  # DECIMAL(10,2)
INT_MAX = 2_147_483_647
MAX_IMAGES = 10
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_VARIATIONS = 5
MAX_OPTIONS = 50
MAX_VARIATION_NAME_LENGTH = 50
MAX_OPTION_LENGTH = 100
DIMENSION_UNITS = ("cm", "mm", "m", "in")
DEFAULT_LOW_STOCK_THRESHOLD = 5

PRODUCT_FIELDS = (
    "name",
    "description",
    "price",
    "compare_at_price",
    "cost_price",
    "sku",
    "barcode",
    "stock_quantity",
    "low_stock_threshold",
    "weight",
    "dimensions",
    "images",
    "variations",
    "category",
    "tags",
    "is_active",
    "is_featured",
)
REQUIRED_FIELDS = ("name", "price")
TRUE_WORDS = {"true", "1", "yes", "on", "y"}
FALSE_WORDS = {"false", "0", "no", "off", "n"}
URL_PATTERN = re.compile(r"^https?://[^\s]+$")


class ProductInvalid(ServiceError):
    """One or more fields are wrong; `details` maps each field to its messages."""

    code = "validation_error"

    def __init__(self, errors: dict[str, list[str]]):
        messages = next(iter(errors.values()))
        super().__init__(messages[0], details=errors)
        self.errors = errors


def clean_product_data(data: Mapping, *, current: Mapping | None = None) -> dict:
    """Validated, typed values for the fields present in `data`.

    `current` holds the product's existing values on an update, so cross-field rules
    (compare-at above price) are checked against the result, not only the input.
    Unknown keys are ignored. Raises ProductInvalid listing every problem at once.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for field in PRODUCT_FIELDS:
        if field not in data:
            continue
        try:
            cleaned[field] = CLEANERS[field](data[field])
        except ValueError as error:
            errors.setdefault(field, []).append(str(error))

    if current is None:
        for field in REQUIRED_FIELDS:
            if field not in data:
                errors[field] = [f"{LABELS[field]} is required."]

    merged = {**(current or {}), **cleaned}
    price = merged.get("price")
    compare_at = merged.get("compare_at_price")
    if (
        "price" not in errors
        and "compare_at_price" not in errors
        and price is not None
        and compare_at is not None
        and compare_at <= price
    ):
        errors["compare_at_price"] = ["Compare-at price must be above the price."]

    if errors:
        ordered = {field: errors[field] for field in PRODUCT_FIELDS if field in errors}
        raise ProductInvalid(ordered)
    return cleaned


def product_values(product) -> dict:
    """A product's current values, as `current` for clean_product_data."""
    return {field: getattr(product, field) for field in PRODUCT_FIELDS}


LABELS = {
    "name": "Name",
    "description": "Description",
    "price": "Price",
    "compare_at_price": "Compare-at price",
    "cost_price": "Cost price",
    "sku": "SKU",
    "barcode": "Barcode",
    "stock_quantity": "Stock quantity",
    "low_stock_threshold": "Low-stock threshold",
    "weight": "Weight",
    "dimensions": "Dimensions",
    "images": "Images",
    "variations": "Variations",
    "category": "Category",
    "tags": "Tags",
    "is_active": "Active",
    "is_featured": "Featured",
}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(label: str, max_length: int, *, required: bool = False):
    def clean(value):
        if _blank(value):
            if required:
                raise ValueError(f"{label} is required.")
            return None
        if not isinstance(value, str):
            raise ValueError(f"{label} must be text.")
        value = value.strip()
        if len(value) > max_length:
            raise ValueError(f"{label} must be at most {max_length} characters.")
        return value

    return clean


def _decimal(value, label: str, maximum: Decimal) -> Decimal:
    if isinstance(value, bool | list | dict):
        raise ValueError(f"{label} must be a number.")
    if isinstance(value, float):
        # JSON numbers arrive as floats: their shortest repr is what the client wrote
        value = repr(value)
    try:
        # merchants type prices as they write them: "₦12,500"
        amount = Decimal(str(value).strip().removeprefix("₦").replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"{label} must be a number.") from None
    if not amount.is_finite():
        raise ValueError(f"{label} must be a number.")
    if amount.as_tuple().exponent < -2:
        raise ValueError(f"{label} must have at most 2 decimal places.")
    if amount > maximum:
        raise ValueError(f"{label} must be at most {maximum:,}.")
    if amount < -maximum:
        # checked before rounding: a value this large cannot be rounded to the kobo at all
        raise ValueError(f"{label} cannot be negative.")
    return to_kobo(amount)


def _price(value):
    if _blank(value):
        raise ValueError("Price is required.")
    amount = _decimal(value, "Price", MONEY_MAX)
    if amount <= 0:
        raise ValueError("Price must be greater than 0.")
    return amount


def _optional_money(label: str, *, positive: bool):
    def clean(value):
        if _blank(value):
            return None
        amount = _decimal(value, label, MONEY_MAX)
        if positive and amount <= 0:
            raise ValueError(f"{label} must be greater than 0.")
        if amount < 0:
            raise ValueError(f"{label} cannot be negative.")
        return amount

    return clean


def _count(label: str, default: int):
    def clean(value):
        if _blank(value):
            return default
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"{label} must be a whole number.")
        try:
            number = int(str(value).strip()) if not isinstance(value, float) else int(value)
        except ValueError:
            raise ValueError(f"{label} must be a whole number.") from None
        if number < 0:
            raise ValueError(f"{label} cannot be negative.")
        if number > INT_MAX:
            raise ValueError(f"{label} is too large.")
        return number

    return clean


def _weight(value):
    if _blank(value):
        return None
    amount = _decimal(value, "Weight", WEIGHT_MAX)
    if amount < 0:
        raise ValueError("Weight cannot be negative.")
    return amount


def _json(value, label: str):
    """Forms and CSV cells carry JSON as text; the API sends it as JSON already."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ValueError(f"{label} must be valid JSON.") from None
    return value


def _dimensions(value):
    if _blank(value):
        return None
    value = _json(value, "Dimensions")
    if not isinstance(value, dict):
        raise ValueError("Dimensions must be an object with length, width, height and unit.")
    unknown = set(value) - {"length", "width", "height", "unit"}
    if unknown:
        raise ValueError(f"Dimensions has unknown keys: {', '.join(sorted(unknown))}.")
    cleaned = {}
    for key in ("length", "width", "height"):
        if _blank(value.get(key)):
            raise ValueError(f"Dimensions need a {key}.")
        amount = _decimal(value[key], f"Dimension {key}", WEIGHT_MAX)
        if amount <= 0:
            raise ValueError(f"Dimension {key} must be greater than 0.")
        # JSON cannot hold a Decimal; a string keeps the exact value
        cleaned[key] = str(amount)
    unit = value.get("unit")
    if unit not in DIMENSION_UNITS:
        raise ValueError(f"Dimension unit must be one of: {', '.join(DIMENSION_UNITS)}.")
    cleaned["unit"] = unit
    return cleaned


def _variations(value):
    if _blank(value):
        return None
    value = _json(value, "Variations")
    if not isinstance(value, list):
        raise ValueError('Variations must be a list of {"name", "options"}.')
    if len(value) > MAX_VARIATIONS:
        raise ValueError(f"At most {MAX_VARIATIONS} variations.")
    cleaned = []
    seen_names = set()
    for position, variation in enumerate(value, start=1):
        if not isinstance(variation, dict) or set(variation) != {"name", "options"}:
            raise ValueError(f'Variation {position} must have exactly "name" and "options".')
        name = variation["name"]
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Variation {position} needs a name.")
        name = name.strip()
        if len(name) > MAX_VARIATION_NAME_LENGTH:
            raise ValueError(
                f'Variation name "{name}" is longer than {MAX_VARIATION_NAME_LENGTH} characters.'
            )
        if name.casefold() in seen_names:
            raise ValueError(f'Variation name "{name}" is used twice.')
        seen_names.add(name.casefold())
        options = variation["options"]
        if not isinstance(options, list) or not options:
            raise ValueError(f'Variation "{name}" needs at least one option.')
        if len(options) > MAX_OPTIONS:
            raise ValueError(f'Variation "{name}" has more than {MAX_OPTIONS} options.')
        cleaned_options = []
        seen_options = set()
        for option in options:
            if not isinstance(option, str) or not option.strip():
                raise ValueError(f'Variation "{name}" has an empty option.')
            option = option.strip()
            if len(option) > MAX_OPTION_LENGTH:
                raise ValueError(f'Option "{option[:20]}…" is longer than {MAX_OPTION_LENGTH} characters.')
            if option.casefold() in seen_options:
                raise ValueError(f'Variation "{name}" lists option "{option}" twice.')
            seen_options.add(option.casefold())
            cleaned_options.append(option)
        cleaned.append({"name": name, "options": cleaned_options})
    return cleaned or None


def _tags(value):
    if _blank(value):
        return None
    if isinstance(value, str) and not value.lstrip().startswith("["):
        # forms and CSV cells: "ankara, wax print"
        value = value.split(",")
    else:
        value = _json(value, "Tags")
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValueError("Tags must be a list of text.")
    cleaned = []
    seen = set()
    for tag in value:
        tag = tag.strip()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValueError(f"Each tag must be at most {MAX_TAG_LENGTH} characters.")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValueError(f"At most {MAX_TAGS} tags.")
    return cleaned or None


def _images(value):
    if _blank(value):
        return []
    if isinstance(value, str) and not value.lstrip().startswith("["):
        value = value.split()
    else:
        value = _json(value, "Images")
    if not isinstance(value, list) or not all(isinstance(url, str) for url in value):
        raise ValueError("Images must be a list of URLs.")
    cleaned = []
    for url in value:
        url = url.strip()
        if not URL_PATTERN.match(url) or len(url) > 500:
            raise ValueError(f'"{url[:60]}" is not an image URL.')
        if url not in cleaned:
            cleaned.append(url)
    if len(cleaned) > MAX_IMAGES:
        raise ValueError(f"At most {MAX_IMAGES} images.")
    return cleaned


def _flag(label: str, default: bool):
    def clean(value):
        if _blank(value):
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
            return True
        if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
            return False
        raise ValueError(f"{label} must be true or false.")

    return clean


CLEANERS = {
    "name": _text("Name", 255, required=True),
    "description": _text("Description", 65_535),
    "price": _price,
    "compare_at_price": _optional_money("Compare-at price", positive=True),
    "cost_price": _optional_money("Cost price", positive=False),
    "sku": _text("SKU", 100),
    "barcode": _text("Barcode", 100),
    "stock_quantity": _count("Stock quantity", 0),
    "low_stock_threshold": _count("Low-stock threshold", DEFAULT_LOW_STOCK_THRESHOLD),
    "weight": _weight,
    "dimensions": _dimensions,
    "images": _images,
    "variations": _variations,
    "category": _text("Category", 100),
    "tags": _tags,
    "is_active": _flag("Active", True),
    "is_featured": _flag("Featured", False),
}
