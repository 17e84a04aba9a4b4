"""Every write to products. Each function takes the acting merchant and only ever touches
products in that merchant's own stores: another merchant's id is NotFound. The one
exception is product_moderate, for staff in the admin."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalog.models import Product
from catalog.selectors import owned_products
from catalog.validation import (
    MAX_IMAGES,
    PRODUCT_FIELDS,
    ProductInvalid,
    clean_product_data,
    product_values,
)
from config.errors import NotFound, ServiceError
from config.images import PreparedImage, StoredImage, image_delete, image_save
from stores.models import Store, StoreTemplate
from stores.selectors import store_get_owned
from stores.services import storefront_cache_bump


class ImportInvalid(ServiceError):
    """Some rows of an import are wrong; `details["rows"]` lists each with its errors."""

    code = "import_invalid"


BULK_ACTIONS = ("activate", "deactivate", "delete")
MAX_BULK = 500


def _locked_product(*, user: User, product_id: str | UUID) -> Product:
    try:
        return owned_products(user=user).select_for_update().get(pk=str(product_id))
    except Product.DoesNotExist:
        raise NotFound("Product not found.") from None


def _store_uploads(
    store: Store, images: list[str], uploads: Sequence[PreparedImage], stored: list[StoredImage]
) -> list[str]:
    """Saves new uploads after the existing images and returns every URL; `stored`
    collects what was saved so the caller can remove it if the write fails."""
    if len(images) + len(uploads) > MAX_IMAGES:
        raise ProductInvalid({"images": [f"At most {MAX_IMAGES} images."]})
    for prepared in uploads:
        stored.append(image_save(prepared, folder=f"products/{store.pk}"))
    return [*images, *(image.url for image in stored)]


@contextmanager
def _uploads_removed_on_failure() -> Iterator[list[StoredImage]]:
    stored: list[StoredImage] = []
    try:
        yield stored
    except BaseException:
        for image in stored:
            image_delete(image)
        raise


def product_create(
    *, user: User, store_id: str | UUID, data: Mapping[str, Any], uploads: Sequence[PreparedImage] = ()
) -> Product:
    """A product in one of the caller's stores. Raises NotFound for a store that is not
    theirs and ProductInvalid (every field's problems at once) for bad input."""
    store = store_get_owned(user=user, store_id=store_id)
    cleaned = clean_product_data(data)
    if store.template_id == StoreTemplate.BOOKINGS and str(data.get("stock_quantity") or "").strip() == "":
        # A bookable service is limited by its time slots, not by stock: left blank, it is
        # untracked (NULL) rather than 0, which would show it sold out.
        cleaned["stock_quantity"] = None
    with _uploads_removed_on_failure() as stored, transaction.atomic():
        if uploads:
            cleaned["images"] = _store_uploads(store, cleaned.get("images", []), uploads, stored)
        product = Product(store=store, **cleaned)
        product.save()
        storefront_cache_bump(store.pk)
    return product


def product_update(
    *,
    user: User,
    product_id: str | UUID,
    data: Mapping[str, Any],
    replace: bool = False,
    uploads: Sequence[PreparedImage] = (),
) -> Product:
    """Changes the given fields. With `replace` (a PUT) the data is the whole product:
    fields left out go back to their defaults, and name and price are required."""
    if replace:
        data = {field: data.get(field) for field in PRODUCT_FIELDS}
    with _uploads_removed_on_failure() as stored, transaction.atomic():
        product = _locked_product(user=user, product_id=product_id)
        cleaned = clean_product_data(data, current=None if replace else product_values(product))
        if uploads:
            existing = cleaned.get("images", product.images or [])
            cleaned["images"] = _store_uploads(product.store, existing, uploads, stored)
        for field, value in cleaned.items():
            setattr(product, field, value)
        product.save()
        storefront_cache_bump(product.store_id)
    return product


def product_duplicate(*, user: User, product_id: str | UUID) -> Product:
    """A hidden copy to edit: same details and images, no SKU or barcode (they name one
    item), inactive and not featured until the merchant publishes it."""
    with transaction.atomic():
        original = _locked_product(user=user, product_id=product_id)
        copy = Product(store=original.store, **product_values(original))
        copy.name = f"{original.name} (copy)"[:255]
        copy.sku = None
        copy.barcode = None
        copy.is_active = False
        copy.is_featured = False
        copy.save()
        # the copy is hidden, but the bump is cheap and keeps every product write uniform
        storefront_cache_bump(copy.store_id)
    return copy


def product_delete(*, user: User, product_id: str | UUID) -> None:
    """Soft delete: the row stays for past orders; the product disappears everywhere else."""
    with transaction.atomic():
        product = _locked_product(user=user, product_id=product_id)
        product.deleted_at = timezone.now()
        product.save(update_fields=["deleted_at", "updated_at"])
        storefront_cache_bump(product.store_id)


def product_moderate(*, product_id: str | UUID, is_active: bool, is_featured: bool) -> Product:
    """Staff hide or feature any merchant's product (the admin); nothing else of it changes."""
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(pk=product_id, deleted_at__isnull=True).first()
        if product is None:
            raise NotFound("Product not found.")
        product.is_active = is_active
        product.is_featured = is_featured
        product.save(update_fields=["is_active", "is_featured", "updated_at"])
        storefront_cache_bump(product.store_id)
    return product


def product_bulk_action(*, user: User, action: str, product_ids: Iterable[str | UUID]) -> int:
    """Activates, deactivates or deletes the caller's products among `product_ids`, all or
    nothing: if any id is not one of the caller's live products, NotFound and no change."""
    if action not in BULK_ACTIONS:
        raise ServiceError("Choose activate, deactivate or delete.", code="invalid_action")
    ids = list(dict.fromkeys(str(product_id) for product_id in product_ids))
    if not ids:
        raise ServiceError("Select at least one product.", code="no_products")
    if len(ids) > MAX_BULK:
        raise ServiceError(f"Select at most {MAX_BULK} products at a time.", code="too_many_products")
    now = timezone.now()
    by_action: dict[str, dict[str, Any]] = {
        "activate": {"is_active": True},
        "deactivate": {"is_active": False},
        "delete": {"deleted_at": now},
    }
    changes = by_action[action]
    with transaction.atomic():
        products = owned_products(user=user).filter(pk__in=ids)
        locked = list(products.select_for_update().values_list("pk", "store_id"))
        if len(locked) != len(ids):
            raise NotFound("Some of the selected products were not found; nothing was changed.")
        changed = Product.objects.filter(pk__in=ids).update(updated_at=now, **changes)
        for store_id in sorted({store_id for _pk, store_id in locked}, key=str):
            storefront_cache_bump(store_id)
        return changed


def product_import(
    *,
    user: User,
    store_id: str | UUID,
    rows: Sequence[tuple[int, dict[str, Any], dict[str, list[str]]]],
) -> dict[str, int]:
    """Creates and updates products from CSV rows (see catalog/csv_format.py), all or nothing.

    Every row is validated before anything is written; if any row is wrong, ImportInvalid
    lists every wrong row with its errors and no product is created or changed. A row's `id`
    must name a product in the same store.
    """
    store = store_get_owned(user=user, store_id=store_id)
    with transaction.atomic():
        ids = [data["id"] for _line, data, _errors in rows if data.get("id")]
        existing = {
            product.pk: product
            for product in Product.objects.select_for_update().filter(
                store=store, deleted_at__isnull=True, pk__in=ids
            )
        }
        report = []
        creates: list[Product] = []
        updates: list[Product] = []
        updated_fields: set[str] = set()
        seen: set[str] = set()
        for line, data, read_errors in rows:
            errors = dict(read_errors)
            data = dict(data)
            product_id = data.pop("id", "")
            product = existing.get(product_id) if product_id else None
            if product_id and product_id in seen:
                errors["id"] = ["This product appears more than once in the file."]
            elif product_id and product is None:
                errors["id"] = ["No product with this id in this store."]
            seen.add(product_id)
            try:
                cleaned = clean_product_data(data, current=product_values(product) if product else None)
            except ProductInvalid as invalid:
                for field, messages in invalid.errors.items():
                    errors.setdefault(field, []).extend(messages)
            if errors:
                report.append({"row": line, "errors": errors})
                continue
            if product is None:
                creates.append(Product(store=store, **cleaned))
            else:
                for field, value in cleaned.items():
                    setattr(product, field, value)
                updated_fields.update(cleaned)
                updates.append(product)
        if report:
            count = len(report)
            raise ImportInvalid(
                f"{count} {'row has' if count == 1 else 'rows have'} errors; nothing was imported.",
                details={"rows": report},
            )
        Product.objects.bulk_create(creates)
        if updates:
            now = timezone.now()
            for product in updates:
                product.updated_at = now
            Product.objects.bulk_update(updates, [*sorted(updated_fields), "updated_at"])
        storefront_cache_bump(store.pk)
    return {"created": len(creates), "updated": len(updates)}
