from decimal import ROUND_HALF_UP, Decimal

from django import template

from stores.presentation import product_duration_minutes, product_image, stock_state

register = template.Library()


@register.filter
def naira(value) -> str:
    """₦2,500 or ₦2,500.50."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{amount:,.2f}"
    return f"₦{text[:-3] if text.endswith('.00') else text}"


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
