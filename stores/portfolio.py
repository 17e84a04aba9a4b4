"""The portfolio theme's merchant-managed parts: testimonials shown on the store's home page,
and the enquiry inbox (enquiries are stored by stores.services.store_enquiry_send).

Every function takes the merchant (`user`) and reaches rows only through their own stores.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.db import transaction
from django.utils import timezone

from config.errors import NotFound, ServiceError
from stores.models import Enquiry, EnquiryReply, Store, Testimonial
from stores.storefront_cache import storefront_cache_bump

MAX_TESTIMONIALS = 12
AUTHOR_MAX_LENGTH = 100
DETAIL_MAX_LENGTH = 100
QUOTE_MAX_LENGTH = 600
ENQUIRY_FILTERS = ("unread", "unreplied")


class TestimonialInvalid(ServiceError):
    code = "validation_error"


# --- Testimonials ---


def testimonials_for_store(*, store: Store) -> list[Testimonial]:
    return list(Testimonial.objects.filter(store=store).order_by("position", "id")[:MAX_TESTIMONIALS])


def testimonial_create(*, user, store: Store, author: str, quote: str, detail: str = "") -> Testimonial:
    """Adds a testimonial at the end of the store's list; at most MAX_TESTIMONIALS."""
    author, quote, detail = (str(value or "").strip() for value in (author, quote, detail))
    errors = {}
    if not author:
        errors["author"] = "Give the client's name."
    elif len(author) > AUTHOR_MAX_LENGTH:
        errors["author"] = f"Use at most {AUTHOR_MAX_LENGTH} characters for the name."
    if not quote:
        errors["quote"] = "Write what the client said."
    elif len(quote) > QUOTE_MAX_LENGTH:
        errors["quote"] = f"Keep the testimonial to {QUOTE_MAX_LENGTH} characters."
    if len(detail) > DETAIL_MAX_LENGTH:
        errors["detail"] = f"Use at most {DETAIL_MAX_LENGTH} characters for the detail."
    if errors:
        raise TestimonialInvalid(next(iter(errors.values())), details=errors)
    with transaction.atomic():
        owned = Store.objects.owned_by(user).select_for_update().filter(pk=store.pk).first()
        if owned is None:
            raise NotFound("Store not found.")
        count = Testimonial.objects.filter(store=owned).count()
        if count >= MAX_TESTIMONIALS:
            raise TestimonialInvalid(
                f"A store shows at most {MAX_TESTIMONIALS} testimonials: delete one first.",
                details={"author": "Too many."},
            )
        testimonial = Testimonial.objects.create(
            store=owned, author=author, quote=quote, detail=detail, position=count
        )
        storefront_cache_bump(owned.pk)
    return testimonial


def testimonial_delete(*, user, testimonial_id: int) -> Store:
    """Removes one of the merchant's testimonials; returns its store."""
    with transaction.atomic():
        testimonial = (
            Testimonial.objects.select_for_update()
            .filter(pk=testimonial_id, store__in=Store.objects.owned_by(user))
            .select_related("store")
            .first()
        )
        if testimonial is None:
            raise NotFound("Testimonial not found.")
        store = testimonial.store
        testimonial.delete()
        storefront_cache_bump(store.pk)
    return store


# --- Enquiries ---


def enquiries_for_owner(*, user, store_id: str | None = None, show: str = ""):
    """The merchant's enquiries, newest first, optionally of one store and only unread or
    unreplied ones."""
    enquiries = Enquiry.objects.filter(store__in=Store.objects.owned_by(user)).select_related("store")
    if store_id:
        enquiries = enquiries.filter(store_id=str(store_id))
    if show == "unread":
        enquiries = enquiries.filter(read_at__isnull=True)
    elif show == "unreplied":
        enquiries = enquiries.filter(replied_at__isnull=True)
    return enquiries.order_by("-created_at", "-id")


def enquiry_unread_count(*, user) -> int:
    return Enquiry.objects.filter(store__in=Store.objects.owned_by(user), read_at__isnull=True).count()


def enquiry_get_owned(*, user, enquiry_id: str) -> Enquiry:
    enquiry = (
        Enquiry.objects.filter(pk=str(enquiry_id), store__in=Store.objects.owned_by(user))
        .select_related("store")
        .first()
    )
    if enquiry is None:
        raise NotFound("Enquiry not found.")
    return enquiry


def enquiry_mark(
    *, user, enquiry_id: str, read: bool | None = None, replied_via: str | None = None
) -> Enquiry:
    """Marks the merchant's enquiry read or unread, and replied (by email or WhatsApp),
    which also makes it read."""
    if replied_via is not None and replied_via not in EnquiryReply.values:
        raise ServiceError("Reply by email or WhatsApp.", details={"via": "email or whatsapp"})
    with transaction.atomic():
        enquiry = enquiry_get_owned(user=user, enquiry_id=enquiry_id)
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        now = timezone.now()
        if replied_via is not None:
            enquiry.replied_at, enquiry.replied_via = now, replied_via
            enquiry.read_at = enquiry.read_at or now
        elif read is True:
            enquiry.read_at = enquiry.read_at or now
        elif read is False:
            enquiry.read_at = None
        enquiry.save(update_fields=["read_at", "replied_at", "replied_via"])
    return enquiry


@dataclass(frozen=True)
class ReplyLinks:
    email: str
    whatsapp: str


def enquiry_reply_links(enquiry: Enquiry) -> ReplyLinks:
    """A mailto: link with subject and opening line, and a wa.me link with the same text,
    for whichever contact the shopper gave."""
    store = enquiry.store
    first_name = enquiry.name.split()[0] if enquiry.name.split() else enquiry.name
    greeting = f"Hello {first_name}, thank you for your enquiry to {store.display_name}."
    email = ""
    if enquiry.email:
        subject = f"Re: your enquiry to {store.display_name}"
        quoted = "\n".join(f"> {line}" for line in enquiry.message.splitlines())
        query = urlencode({"subject": subject, "body": f"{greeting}\n\n\n\n{quoted}"}, quote_via=quote)
        email = f"mailto:{quote(enquiry.email, safe='@')}?{query}"
    whatsapp = ""
    digits = re.sub(r"\D", "", enquiry.phone or "")
    if digits:
        whatsapp = f"https://wa.me/{digits}?text={quote(greeting + ' ')}"
    return ReplyLinks(email=email, whatsapp=whatsapp)
