"""Every write to stores: create, update, activate, soft delete, onboarding."""

from collections.abc import Mapping
from datetime import datetime
from typing import IO, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.throttles import HOUR, throttle_hit
from catalog.models import Product
from config.errors import Conflict, NotFound, ServiceError
from config.images import image_store
from config.site_url import site_url
from notifications.models import Category, Channel
from notifications.services import notification_create, notification_send
from stores.branding import clean_colours, clean_fonts, clean_social_links, whatsapp_digits
from stores.models import Enquiry, Store, StoreTemplate, WhatsAppOrdering
from stores.storefront_cache import storefront_cache_bump
from stores.usernames import USERNAME_MAX_LENGTH, username_problem
from stores.view_counts import pending_views_restore, pending_views_take

__all__ = [
    "onboarding_complete",
    "product_views_flush",
    "store_branding_image_set",
    "store_create",
    "store_delete",
    "store_enquiry_send",
    "store_set_active",
    "store_update",
    "store_username_suggestions",
    "storefront_cache_bump",
]

DISPLAY_NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 2000
CATEGORY_MAX_LENGTH = 100
IMAGE_URL_MAX_LENGTH = 500
SUGGESTION_COUNT = 5
ENQUIRIES_PER_HOUR = 5
BRANDING_IMAGE_KINDS = ("logo", "banner")
UPDATABLE_FIELDS = (
    "display_name",
    "description",
    "category",
    "template_id",
    "custom_colors",
    "custom_fonts",
    "social_links",
    "logo_url",
    "banner_url",
    "is_active",
)


class StoreInvalid(ServiceError):
    """One or more fields are wrong; `details` maps each field to its messages."""

    code = "validation_error"

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(next(iter(errors.values()))[0], details=errors)
        self.errors = errors


class UsernameTaken(Conflict):
    code = "username_taken"


def normalise_username(raw: object) -> str:
    return str(raw or "").strip().lower()


def store_username_suggestions(*, username: str, count: int = SUGGESTION_COUNT) -> list[str]:
    """Free usernames close to `username`, for when it is taken or not allowed."""
    base = slugify(username).replace("_", "-").strip("-")
    while "--" in base:
        base = base.replace("--", "-")
    base = base[: USERNAME_MAX_LENGTH - 5].strip("-") or "store"
    candidates = [
        base,
        f"{base}-ng",
        f"{base}-shop",
        f"{base}-store",
        f"{base}-hq",
        f"shop-{base}",
        f"the-{base}",
        *(f"{base}{number}" for number in range(1, 10)),
        *(f"{base}-{number}" for number in (2, 3, 24, 100, 234)),
    ]
    candidates = list(dict.fromkeys(name for name in candidates if username_problem(name) is None))
    taken = set(Store.objects.filter(username__in=candidates).values_list("username", flat=True))
    return [name for name in candidates if name not in taken][:count]


def _clean(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    def text(field: str, max_length: int, *, required: bool = False) -> None:
        if field not in data:
            if required and creating:
                errors.setdefault(field, []).append("This field is required.")
            return
        value = data[field]
        value = "" if value is None else str(value).strip()
        if required and not value:
            errors.setdefault(field, []).append("This field is required.")
        elif len(value) > max_length:
            errors.setdefault(field, []).append(f"Use at most {max_length} characters.")
        else:
            cleaned[field] = value or None

    text("display_name", DISPLAY_NAME_MAX_LENGTH, required=True)
    text("description", DESCRIPTION_MAX_LENGTH)
    text("category", CATEGORY_MAX_LENGTH)
    for field in ("logo_url", "banner_url"):
        text(field, IMAGE_URL_MAX_LENGTH)
        if cleaned.get(field) and not cleaned[field].startswith(("https://", "http://", "/media/")):
            errors.setdefault(field, []).append("Use an uploaded image's address.")
    if "is_active" in data:
        value = data["is_active"]
        if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
            value = value.strip().lower() == "true"
        if isinstance(value, bool):
            cleaned["is_active"] = value
        else:
            errors.setdefault("is_active", []).append("Must be true or false.")
    if "template_id" in data:
        if data["template_id"] in StoreTemplate.values:
            cleaned["template_id"] = data["template_id"]
        else:
            errors.setdefault("template_id", []).append(f"Choose one of: {', '.join(StoreTemplate.values)}.")
    for field, clean in (
        ("custom_colors", clean_colours),
        ("custom_fonts", clean_fonts),
        ("social_links", clean_social_links),
    ):
        if field not in data:
            continue
        if data[field] in (None, ""):
            cleaned[field] = None
            continue
        try:
            cleaned[field] = clean(data[field]) or None
        except ValueError as error:
            errors.setdefault(field, []).append(str(error))
    if errors:
        raise StoreInvalid(errors)
    return cleaned


def store_create(*, user: User, username: str, display_name: str, **fields: Any) -> Store:
    """A new store owned by `user`; a merchant may own several.

    Raises StoreInvalid for bad input and UsernameTaken (with suggestions) when another
    store, live or deleted, has the username.
    """
    username = normalise_username(username)
    errors: dict[str, list[str]] = {}
    problem = username_problem(username)
    if problem:
        errors["username"] = [problem]
    try:
        cleaned = _clean({**fields, "display_name": display_name}, creating=True)
    except StoreInvalid as error:
        errors.update(error.errors)
    if errors:
        raise StoreInvalid(errors)
    taken = Store.objects.filter(username=username).exists()
    if not taken:
        try:
            with transaction.atomic():
                store = Store.objects.create(user=user, username=username, **cleaned)
        except IntegrityError:
            taken = True  # another request took it in between
    if taken:
        raise UsernameTaken(
            "This username is taken.",
            details={
                "username": ["This username is taken."],
                "suggestions": store_username_suggestions(username=username),
            },
        )
    storefront_cache_bump(store.pk)
    return store


def _owned_store(*, user: User, store_id: str | UUID, lock: bool = False) -> Store:
    stores = Store.objects.owned_by(user)
    if lock:
        stores = stores.select_for_update()
    try:
        return stores.get(pk=str(store_id))
    except (Store.DoesNotExist, ValueError):
        raise NotFound("Store not found.") from None


def store_update(*, user: User, store_id: str | UUID, data: Mapping[str, Any]) -> Store:
    """Changes the given fields of the caller's store. The username cannot change: links
    to /<username> shared on WhatsApp must keep working."""
    if "username" in data:
        current = Store.objects.owned_by(user).filter(pk=str(store_id)).values_list("username", flat=True)
        if normalise_username(data["username"]) not in list(current):
            raise StoreInvalid({"username": ["A store's username cannot be changed."]})
    cleaned = _clean({key: data[key] for key in UPDATABLE_FIELDS if key in data}, creating=False)
    with transaction.atomic():
        store = _owned_store(user=user, store_id=store_id, lock=True)
        for field, value in cleaned.items():
            setattr(store, field, value)
        if cleaned:
            store.save(update_fields=[*cleaned, "updated_at"])
        storefront_cache_bump(store.pk)
    return store


def store_branding_image_set(*, user: User, store_id: str | UUID, kind: str, file: IO[bytes]) -> Store:
    """Replaces the store's logo or banner with an uploaded image, through the catalog's
    image pipeline (validated by content, re-encoded, resized). Raises ImageInvalid."""
    if kind not in BRANDING_IMAGE_KINDS:
        raise StoreInvalid({"kind": ["Choose logo or banner."]})
    store = _owned_store(user=user, store_id=store_id)
    url, _thumbnail_url = image_store(file, f"stores/{store.pk}")
    return store_update(user=user, store_id=store.pk, data={f"{kind}_url": url})


def store_branding_save(
    *, user: User, store_id: str | UUID, data: Mapping[str, Any], images: Mapping[str, IO[bytes] | None]
) -> Store:
    """The settings and branding forms: the store's fields and any new logo or banner, all
    saved or none (an image that fails its checks leaves the fields unchanged too)."""
    with transaction.atomic():
        store = store_update(user=user, store_id=store_id, data=data)
        for kind in BRANDING_IMAGE_KINDS:
            image = images.get(kind)
            if image:
                store = store_branding_image_set(user=user, store_id=store.pk, kind=kind, file=image)
    return store


def store_set_active(*, user: User, store_id: str | UUID, is_active: bool) -> Store:
    with transaction.atomic():
        store = _owned_store(user=user, store_id=store_id, lock=True)
        store.is_active = bool(is_active)
        store.save(update_fields=["is_active", "updated_at"])
        storefront_cache_bump(store.pk)
    return store


def store_delete(*, user: User, store_id: str | UUID) -> None:
    """Soft delete: the row (and its username) stays, the storefront is a 404."""
    with transaction.atomic():
        store = _owned_store(user=user, store_id=store_id, lock=True)
        store.deleted_at = timezone.now()
        store.save(update_fields=["deleted_at", "updated_at"])
        storefront_cache_bump(store.pk)


def onboarding_complete(*, user: User) -> None:
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(has_completed_onboarding=True)
    user.has_completed_onboarding = True


def product_views_flush() -> int:
    """Adds the views counted in the cache to `products.view_count`; returns how many
    products were updated. View counts are not shown to shoppers: no cache bump."""
    counts = pending_views_take()
    try:
        with transaction.atomic():
            for product_id, count in sorted(counts.items()):
                # updated_at keeps its value: a view is not an edit (the seed's column
                # would otherwise refresh itself ON UPDATE).
                Product.objects.filter(pk=product_id).update(
                    view_count=Coalesce(F("view_count"), Value(0)) + count, updated_at=F("updated_at")
                )
    except Exception:
        pending_views_restore(counts)
        raise
    return len(counts)


def store_enquiry_send(
    *, store: Store, name: str, email: str, phone: str, message: str, ip: str | None
) -> None:
    """A shopper's enquiry is kept in the merchant's inbox (/dashboard/enquiries/) and
    announced twice: as an in-dashboard notification and by email (through the notifications
    app, which queues and retries it). Each IP may send ENQUIRIES_PER_HOUR; past that,
    RateLimited and nothing is written."""
    throttle_hit(scope="store-enquiry", who=ip, limit=ENQUIRIES_PER_HOUR, window=HOUR)
    contact = " · ".join(part for part in (email, phone) if part)
    with transaction.atomic():
        Enquiry.objects.create(store=store, name=name, email=email or "", phone=phone or "", message=message)
        notification = notification_create(
            user=store.user,
            title=f"New enquiry from {name} ({store.display_name})",
            body=f"{message}\n\nReply to: {contact}",
            link=reverse("dashboard:enquiries"),
        )
        assert notification is not None  # without an idempotency key one is always created
        notification_send(
            template="store_enquiry",
            context={
                "name": name,
                "email": email,
                "phone": phone,
                "message": message,
                "store_name": store.display_name,
                "store_url": f"{site_url()}{store.get_absolute_url()}",
            },
            channels=(Channel.EMAIL,),
            user=store.user,
            category=Category.ACCOUNT,
            idempotency_key=f"store-enquiry:{notification.pk}",
            related=store,
        )


def stores_close_for_deleted_user(user: User, now: datetime) -> None:
    """accounts/deletion.py: a deleted merchant's stores go offline with them."""
    live_stores = Store.objects.filter(user=user, deleted_at__isnull=True)
    store_ids = list(live_stores.filter(is_active=True).values_list("pk", flat=True))
    live_stores.update(is_active=False)
    for store_id in store_ids:
        storefront_cache_bump(store_id)


def store_whatsapp_ordering_set(*, user: User, store_id: str | UUID, enabled: bool) -> WhatsAppOrdering:
    """Turn "Order on WhatsApp" on or off for the caller's store. Turning it on needs the
    store's WhatsApp number (store settings): the orders go to that chat."""
    with transaction.atomic():
        store = _owned_store(user=user, store_id=store_id, lock=True)
        if enabled and not whatsapp_digits(store):
            message = "Add the store's WhatsApp number in its settings before taking orders on WhatsApp."
            raise StoreInvalid({"whatsapp": [message]})
        setting, _created = WhatsAppOrdering.objects.update_or_create(
            store=store, defaults={"enabled": enabled}
        )
        # the product and cart pages show or hide the button
        storefront_cache_bump(store.pk)
    return setting
