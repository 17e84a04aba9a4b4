from django import template

from config import money
from stores.presentation import product_duration_minutes, product_image, stock_state
from stores.selectors import store_whatsapp_order_number

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
    minutes = product_duration_minutes(product)
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


@register.simple_tag
def whatsapp_order_number(store) -> str:
    """The wa.me number when the store takes orders on WhatsApp, else "" (one query)."""
    return store_whatsapp_order_number(store=store) or ""
