from django import template

from orders.cart import cart_count_for_store
from stores.storefront_cache import CART_COUNT_PLACEHOLDER

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context, store) -> str:
    """How many items this visitor has in the store's cart.

    A page headed for the whole-page cache gets a placeholder instead, which
    stores/views.py replaces with each visitor's own count when it serves the page.
    """
    if context.get("cache_placeholders"):
        return CART_COUNT_PLACEHOLDER
    request = context.get("request")
    if request is None or store is None:
        return "0"
    return str(cart_count_for_store(request.session, store_id=store.pk))
