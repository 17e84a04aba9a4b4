"""How products read on the storefront: first image, stock state, service duration."""

from dataclasses import dataclass

from django.utils.text import slugify

from config.site_url import site_url

# Before catalog.ServiceDuration, a service's length was written in the product's
# `dimensions` JSON under this key; rows written that way still read.
DURATION_KEY = "duration_minutes"
# A short link ends with the first characters of the product's id (random hex of a UUID v4):
# with 8, two products of one store start alike about once in 4 billion pairs.
SLUG_ID_LENGTH = 8
SLUG_NAME_LENGTH = 60


@dataclass(frozen=True)
class StockState:
    code: str  # "in_stock", "low", "sold_out"
    label: str
    available: bool


def product_image(product) -> str | None:
    images = product.images or []
    first = images[0] if images else None
    if isinstance(first, dict):
        first = first.get("url")
    return first if isinstance(first, str) and first else None


def absolute_url(url: str | None) -> str | None:
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    return f"{site_url()}{url if url.startswith('/') else '/' + url}"


def stock_state(product) -> StockState:
    quantity = product.stock_quantity
    if quantity is None:
        return StockState("in_stock", "In stock", True)
    if quantity <= 0:
        return StockState("sold_out", "Sold out", False)
    threshold = product.low_stock_threshold if product.low_stock_threshold is not None else 5
    if quantity <= threshold:
        return StockState("low", f"Only {quantity} left", True)
    return StockState("in_stock", "In stock", True)


def product_duration_minutes(product) -> int | None:
    service_duration = getattr(product, "service_duration", None)
    if service_duration is not None:
        return service_duration.minutes
    dimensions = product.dimensions if isinstance(product.dimensions, dict) else {}
    minutes = dimensions.get(DURATION_KEY)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes <= 0:
        return None
    return int(minutes)


def minutes_label(minutes: int | None) -> str:
    """90 → "1 h 30 min"; 45 → "45 min"; 120 → "2 h"."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def product_slug(product) -> str:
    """`red-ankara-dress-3f2a9c1d`: the product's name, then the start of its id."""
    name = slugify(product.name or "")[:SLUG_NAME_LENGTH].strip("-") or "item"
    return f"{name}-{str(product.pk)[:SLUG_ID_LENGTH].lower()}"


def product_short_path(product) -> str:
    """/<username>/p/<slug>: the link merchants share; the id link stays canonical."""
    return f"/{product.store.username}/p/{product_slug(product)}"
