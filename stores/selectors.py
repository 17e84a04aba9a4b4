import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.models import Product
from config.errors import NotFound
from stores.branding import whatsapp_digits
from stores.models import Store, WhatsAppOrdering
from stores.presentation import SLUG_ID_LENGTH, product_slug
from stores.services import normalise_username, store_username_suggestions
from stores.usernames import username_problem

SORTS = {
    "newest": ("-created_at", "-id"),
    "price_asc": ("price", "-created_at", "id"),
    "price_desc": ("-price", "-created_at", "id"),
    "name": ("name", "id"),
}
# A search's default order, when product_search added the FULLTEXT `relevance` annotation.
RELEVANCE_SORT = ("-relevance", "-created_at", "id")
DEFAULT_SORT = "newest"
CARD_FIELDS = (
    "id",
    "store_id",
    "name",
    "description",
    "price",
    "compare_at_price",
    "images",
    "stock_quantity",
    "low_stock_threshold",
    "is_featured",
    "category",
    "dimensions",
    "created_at",
    "service_duration__minutes",
)
# InnoDB's FULLTEXT index skips words shorter than innodb_ft_min_token_size (3 by default).
FULLTEXT_MIN_WORD = 3
MAX_SEARCH_WORDS = 8


def store_get_live(*, username: str) -> Store:
    """The store a shopper sees at /<username>; inactive or deleted stores are not found."""
    try:
        return Store.objects.live().get(username=username)
    except Store.DoesNotExist:
        raise NotFound("No such store.") from None


def store_get_for_checkout(*, store_id: str | None, username: str | None) -> Store:
    """The live store a checkout names, by id or else by username; NotFound for any other."""
    stores = Store.objects.live()
    store = (
        stores.filter(pk=store_id).first()
        if store_id
        else stores.filter(username=(username or "").lower()).first()
    )
    if store is None:
        raise NotFound("No such store.")
    return store


def store_for_error_page(*, path: str) -> Store | None:
    """The live store whose pages `path` is under (/<username>/…), for a branded error page."""
    username = path.strip("/").split("/", 1)[0].lower()
    if not username or len(username) > 100:
        return None
    return Store.objects.live().filter(username=username).first()


def store_list_for_owner(*, user: Any) -> QuerySet[Store]:
    return Store.objects.owned_by(user).order_by("-created_at")


def store_get_owned(*, user: Any, store_id: str | UUID) -> Store:
    """The caller's store by id: the one owner lookup (catalog, orders, stores). Another
    merchant's store, or a deleted one, is NotFound, as any other use of their ids."""
    try:
        return Store.objects.owned_by(user).get(pk=str(store_id))
    except Store.DoesNotExist:
        raise NotFound("Store not found.") from None


@dataclass(frozen=True)
class UsernameAvailability:
    username: str
    available: bool
    message: str
    suggestions: list[str]


def store_username_availability(*, username: str) -> UsernameAvailability:
    username = normalise_username(username)
    problem = username_problem(username)
    if problem is None and not Store.objects.filter(username=username).exists():
        return UsernameAvailability(username, True, "This username is available.", [])
    message = problem or "This username is taken."
    return UsernameAvailability(username, False, message, store_username_suggestions(username=username))


def storefront_products(*, store: Store, fields: tuple[str, ...] | None = CARD_FIELDS) -> QuerySet[Product]:
    """Products a shopper can see in this store (the store itself is known to be live).
    `fields` limits the columns read (product cards); None reads all of them."""
    products = Product.objects.filter(store=store, is_active=True, deleted_at__isnull=True)
    # A service's duration is in its own one-to-one table: joined, so a list costs no extra query.
    products = products.select_related("service_duration")
    return products.only(*fields) if fields else products


def storefront_featured(*, store: Store, limit: int = 8) -> list[Product]:
    return list(
        storefront_products(store=store).filter(is_featured=True).order_by("-created_at", "-id")[:limit]
    )


def storefront_categories(*, store: Store) -> list[str]:
    return list(
        Product.objects.filter(store=store, is_active=True, deleted_at__isnull=True)  # type: ignore[arg-type]  # the NULLs are excluded below
        .exclude(category__isnull=True)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def search_words(query: str) -> list[str]:
    return re.findall(r"\w+", query or "")[:MAX_SEARCH_WORDS]


def product_search(queryset: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products matching every word of `query`, best match first on MySQL.

    MySQL/MariaDB use the seed's FULLTEXT index idx_search in BOOLEAN MODE, each word
    required and matched as a prefix ("+shoe* +red*"); words too short for the index and
    other databases use a case-insensitive substring match on name and description.
    """
    words = search_words(query)
    if not words:
        return queryset
    long_words = [word for word in words if len(word) >= FULLTEXT_MIN_WORD]
    if connection.vendor == "mysql" and long_words:
        table = Product._meta.db_table
        against = " ".join(f"+{word}*" for word in long_words)
        relevance = RawSQL(  # noqa: S611 (the words go as a parameter; the table name is ours)
            f"MATCH(`{table}`.`name`, `{table}`.`description`) AGAINST (%s IN BOOLEAN MODE)",
            (against,),
            output_field=FloatField(),
        )
        queryset = queryset.annotate(relevance=relevance).filter(relevance__gt=0)
        words = [word for word in words if len(word) < FULLTEXT_MIN_WORD]
    for word in words:
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return queryset


def normalise_sort(value: str | None) -> str:
    value = str(value or "").strip().replace("-", "_").lower()
    aliases = {"priceasc": "price_asc", "pricedesc": "price_desc", "price": "price_asc", "": DEFAULT_SORT}
    value = aliases.get(value, value)
    return value if value in SORTS else DEFAULT_SORT


def parse_price(value: Decimal | str | None) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def storefront_product_list(
    *,
    store: Store,
    query: str = "",
    category: str = "",
    sort: str = "",
    min_price: Decimal | str | None = None,
    max_price: Decimal | str | None = None,
    in_stock: bool = False,
    fields: tuple[str, ...] | None = CARD_FIELDS,
) -> QuerySet[Product]:
    """The filtered, sorted products of the storefront and the public API."""
    products = storefront_products(store=store, fields=fields)
    if category:
        products = products.filter(category=category)
    low, high = parse_price(min_price), parse_price(max_price)
    if low is not None:
        products = products.filter(price__gte=low)
    if high is not None:
        products = products.filter(price__lte=high)
    if in_stock:
        products = products.filter(stock_quantity__gt=0)
    products = product_search(products, query)
    chosen = normalise_sort(sort)
    if search_words(query) and not sort and "relevance" in products.query.annotations:
        return products.order_by(*RELEVANCE_SORT)
    return products.order_by(*SORTS[chosen])


def storefront_product(*, username: str, product_id: str) -> Product:
    """A live product of a live store, with its store (one query)."""
    try:
        return (
            Product.objects.live()
            .select_related("store", "service_duration")
            .get(pk=str(product_id), store__username=username)
        )
    except Product.DoesNotExist:
        raise NotFound("No such product.") from None


def storefront_product_in_store(*, store: Store, product_id: str) -> Product | None:
    """A live product of this store, or None (gone, hidden or another store's): adding to a cart."""
    return Product.objects.live().filter(store=store, pk=product_id).first()


def store_examples(*, usernames: Sequence[str]) -> list[Store]:
    """Live stores among `usernames`, in that order: the platform home page's examples."""
    stores = {
        store.username: store
        for store in Store.objects.filter(username__in=list(usernames), is_active=True, deleted_at=None)
    }
    return [stores[name] for name in usernames if name in stores]


def store_whatsapp_order_number(*, store: Store) -> str | None:
    """The wa.me number "Order on WhatsApp" opens, or None when the store does not offer it
    (turned off, or no WhatsApp number in its settings)."""
    number = whatsapp_digits(store)
    if not number or not WhatsAppOrdering.objects.filter(store=store, enabled=True).exists():
        return None
    return number


def store_whatsapp_ordering_enabled(*, store: Store) -> bool:
    return WhatsAppOrdering.objects.filter(store=store, enabled=True).exists()


def storefront_product_by_slug(*, username: str, slug: str) -> Product:
    """A live product by its short link's slug, `<name>-<first 8 characters of its id>`.

    Only the id part decides, so a link shared before the product was renamed keeps working;
    the name part breaks the tie in the rare case two ids of one store start alike.
    """
    prefix = slug.rsplit("-", 1)[-1].lower()
    if len(prefix) != SLUG_ID_LENGTH:
        raise NotFound("No such product.")
    candidates = list(
        Product.objects.live()
        .select_related("store")
        .filter(store__username=username, id__startswith=prefix)
        .order_by("created_at", "id")[:10]
    )
    exact = [product for product in candidates if product_slug(product) == slug]
    if exact or candidates:
        return (exact or candidates)[0]
    raise NotFound("No such product.")
