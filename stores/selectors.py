from django.http import Http404

from catalog.models import Product
from stores.models import Store


def store_get_live(*, username: str) -> Store:
    """The store a shopper sees at /<username>; inactive or deleted stores are not found."""
    try:
        return Store.objects.live().get(username=username)
    except Store.DoesNotExist:
        raise Http404("No such store") from None


def store_list_for_owner(*, user):
    return Store.objects.owned_by(user).order_by("-created_at")


def storefront_products(*, store: Store):
    return (
        Product.objects.filter(store=store, is_active=True, deleted_at__isnull=True)
        .only("id", "name", "price", "compare_at_price", "images", "stock_quantity", "is_featured")
        .order_by("-is_featured", "-created_at")
    )
