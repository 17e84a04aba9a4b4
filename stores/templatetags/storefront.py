from django import template

from config import money
from stores.presentation import minutes_label, product_duration_minutes, product_image, stock_state

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
