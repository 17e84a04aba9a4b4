from django import template

from config.images import responsive_image, thumbnail_url

register = template.Library()


@register.filter
def thumbnail(url: str) -> str:
    """The 400px thumbnail stored beside an image we stored (see config/images.py)."""
    return thumbnail_url(url or "")


@register.inclusion_tag("storefront/_picture.html")
def picture(url, alt, sizes, eager=False, width=400, height=400, css_class=""):
    """A <picture> of an image at the size the page asks for: WebP first, JPEG fallback.

    `sizes` is the slot's width (the `sizes` attribute); `eager` for the first image a
    shopper sees (loaded at once, high priority), every other image loads lazily.
    """
    return {
        "image": responsive_image(url or ""),
        "alt": alt,
        "sizes": sizes,
        "eager": eager,
        "width": width,
        "height": height,
        "css_class": css_class,
    }
