from django import template
from django.utils.safestring import mark_safe

from config import money
from stores.branding import brand_css_variables, whatsapp_digits
from stores.presentation import minutes_label, product_duration_minutes, product_image, stock_state
from stores.selectors import store_for_error_page, store_whatsapp_order_number

register = template.Library()


@register.filter
def naira(value) -> str:
    """₦2,500 or ₦2,500.50 (config.money)."""
    if value in (None, ""):
        return ""
    return money.naira(value)


@register.filter
def first_image(product) -> str:
    return product_image(product) or ""


@register.filter
def stock(product):
    return stock_state(product)


@register.filter
def duration(product) -> str:
    return minutes_label(product_duration_minutes(product))


@register.simple_tag(takes_context=True)
def brand_style(context, store) -> str:
    """The store's colours and fonts as custom properties for static/css/storefront.css, in a
    <style> with the request's CSP nonce (a cached page's placeholder, filled in per response)."""
    if store is None:
        return ""
    # Safe as it is: brand_css_variables lets only #rrggbb colours and our own font stacks through,
    # and the nonce is django-csp's token or our placeholder.
    rules = "".join(f"{name}:{value};" for name, value in brand_css_variables(store).items())
    # str(): django-csp's lazy nonce is falsy until read, and reading it is what sends it
    nonce = str(context.get("CSP_NONCE", ""))
    nonce_attr = f' nonce="{nonce}"' if nonce else ""
    return mark_safe(f"<style{nonce_attr}>:root{{{rules}}}</style>")  # noqa: S308


@register.filter
def store_whatsapp(store) -> str:
    return whatsapp_digits(store) or "" if store else ""


@register.filter
def store_social(store) -> dict:
    if store is None:
        return {}
    return {key: value for key, value in (store.social_links or {}).items() if key != "whatsapp"}


@register.simple_tag(takes_context=True)
def error_page_store(context):
    """The live store an error page under /<username>/… belongs to, or None (a platform page)."""
    request = context.get("request")
    return store_for_error_page(path=request.path) if request is not None else None


@register.simple_tag
def whatsapp_order_number(store) -> str:
    """The wa.me number when the store takes orders on WhatsApp, else "" (one query)."""
    return store_whatsapp_order_number(store=store) or ""
