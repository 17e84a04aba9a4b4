"""Reads of a merchant's own products. Every function is scoped to `user`: another
merchant's product or store is simply not there."""

from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from catalog.models import Product
from catalog.validation import DEFAULT_LOW_STOCK_THRESHOLD
from config.errors import NotFound
from stores.models import Store
from stores.selectors import store_get_owned

ACTIVE_FILTERS = ("active", "inactive")


def owned_products(*, user: Any) -> QuerySet[Product]:
    """Products that are not deleted, in the caller's stores that are not deleted."""
    return Product.objects.filter(
        store__user=user, store__deleted_at__isnull=True, deleted_at__isnull=True
    ).select_related("store")


def product_list_for_owner(
    *,
    user: Any,
    search: str = "",
    store_id: str = "",
    category: str = "",
    active: str = "",
    low_stock: bool = False,
) -> QuerySet[Product]:
    """The dashboard and API list: one query for the page (the store comes joined),
    whatever the number of products. A store filter naming another merchant's store is
    NotFound, as any other use of their ids."""
    products = owned_products(user=user)
    search = search.strip()
    if search:
        products = products.filter(
            Q(name__icontains=search) | Q(sku__icontains=search) | Q(barcode__icontains=search)
        )
    if store_id:
        products = products.filter(store=store_get_owned(user=user, store_id=store_id))
    if category:
        products = products.filter(category=category)
    if active == "active":
        products = products.filter(is_active=True)
    elif active == "inactive":
        products = products.exclude(is_active=True)
    if low_stock:
        products = products.filter(
            stock_quantity__lte=Coalesce(F("low_stock_threshold"), DEFAULT_LOW_STOCK_THRESHOLD)
        )
    return products.order_by("-created_at", "id")


def product_get_for_owner(*, user: Any, product_id: Any) -> Product:
    try:
        return owned_products(user=user).get(pk=str(product_id))
    except Product.DoesNotExist:
        raise NotFound("Product not found.") from None


def product_categories_for_owner(*, user: Any) -> list[str]:
    return list(
        owned_products(user=user)  # type: ignore[arg-type]  # the NULLs are excluded below
        .exclude(category__isnull=True)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def stores_for_owner(*, user: Any) -> list[Store]:
    return list(Store.objects.owned_by(user).order_by("display_name"))
