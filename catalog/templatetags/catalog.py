from django import template

from config.images import thumbnail_url

register = template.Library()


@register.filter
def thumbnail(url: str) -> str:
    """The 400px thumbnail stored beside an image we stored (see catalog/images.py)."""
    return thumbnail_url(url or "")
