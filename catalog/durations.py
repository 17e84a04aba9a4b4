"""How long a bookings store's service takes (catalog.ServiceDuration), set from the
product form. The booking slots of a day are computed from it (orders/bookings.py)."""

from django.db import transaction

from catalog.models import Product, ServiceDuration
from config.errors import NotFound, ServiceError
from stores.models import Store, StoreTemplate
from stores.storefront_cache import storefront_cache_bump

MIN_MINUTES = 5
MAX_MINUTES = 720


class DurationInvalid(ServiceError):
    code = "validation_error"


def duration_problem(minutes) -> str | None:
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        return f"Give the duration in minutes, from {MIN_MINUTES} to {MAX_MINUTES} (12 hours)."
    return None


def product_duration_set(*, user, product_id, minutes: int | None) -> int | None:
    """Sets (or, with None, clears) the duration of the merchant's service in a bookings
    store. Raises DurationInvalid for a bad value or another template's product, NotFound
    for a product that is not the merchant's."""
    problem = duration_problem(minutes)
    if problem:
        raise DurationInvalid(problem, details={"duration_minutes": problem})
    with transaction.atomic():
        product = (
            Product.objects.select_for_update()
            .filter(pk=str(product_id), deleted_at__isnull=True, store__in=Store.objects.owned_by(user))
            .select_related("store")
            .first()
        )
        if product is None:
            raise NotFound("Product not found.")
        if product.store.template_id != StoreTemplate.BOOKINGS:
            raise DurationInvalid(
                "Only services of a bookings store have a duration.",
                details={"duration_minutes": "Not a bookings store."},
            )
        if minutes is None:
            ServiceDuration.objects.filter(product=product).delete()
        else:
            ServiceDuration.objects.update_or_create(product=product, defaults={"minutes": minutes})
        storefront_cache_bump(product.store_id)
    return minutes
