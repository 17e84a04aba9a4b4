"""The store's look: colours, fonts and social links, as stored in the seed's JSON columns.

`custom_colors` is {"primary", "secondary", "accent"} as #rrggbb; `custom_fonts` is
{"heading", "body"} with keys of FONTS; `social_links` maps a network to an http(s) URL,
and "whatsapp" to a +234 number. Fonts are system font stacks: no web font is downloaded,
which keeps storefronts light on a 3G phone and needs no CDN.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from config.phone_numbers import InvalidPhoneNumber, normalise_phone

COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_KEYS = ("primary", "secondary", "accent")
DEFAULT_COLOURS = {"primary": "#4f46e5", "secondary": "#0ea5e9", "accent": "#f59e0b"}

FONTS = {
    "system": ("System sans-serif", 'system-ui,-apple-system,"Segoe UI",Roboto,sans-serif'),
    "humanist": ("Humanist", '"Trebuchet MS","Lucida Grande","Segoe UI",sans-serif'),
    "geometric": ("Geometric", '"Century Gothic","Avenir Next",Avenir,"Segoe UI",sans-serif'),
    "classic-serif": ("Classic serif", 'Georgia,"Times New Roman",Times,serif'),
    "elegant-serif": ("Elegant serif", '"Palatino Linotype",Palatino,"Book Antiqua",Georgia,serif'),
    "rounded": ("Rounded", '"Arial Rounded MT Bold","Helvetica Rounded",Arial,sans-serif'),
    "monospace": ("Monospace", 'ui-monospace,"Cascadia Code",Menlo,Consolas,monospace'),
}
FONT_KEYS = ("heading", "body")
DEFAULT_FONT = "system"

SOCIAL_NETWORKS = ("instagram", "facebook", "twitter", "tiktok", "youtube", "website")
MAX_URL_LENGTH = 500

_url = URLValidator(schemes=["http", "https"])


def clean_colours(value) -> dict:
    """Raises ValueError naming the first bad colour."""
    if not isinstance(value, dict):
        raise ValueError("Colours must be an object with primary, secondary and accent.")
    cleaned = {}
    for key in COLOUR_KEYS:
        colour = value.get(key)
        if colour in (None, ""):
            continue
        if not isinstance(colour, str) or not COLOUR_PATTERN.match(colour):
            raise ValueError(f"The {key} colour must look like #1a2b3c.")
        cleaned[key] = colour.lower()
    return cleaned


def clean_fonts(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError("Fonts must be an object with heading and body.")
    cleaned = {}
    for key in FONT_KEYS:
        font = value.get(key)
        if font in (None, ""):
            continue
        if font not in FONTS:
            raise ValueError(f"Choose the {key} font from: {', '.join(FONTS)}.")
        cleaned[key] = font
    return cleaned


def clean_social_links(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError("Social links must be an object of network to link.")
    unknown = set(value) - {*SOCIAL_NETWORKS, "whatsapp"}
    if unknown:
        raise ValueError(f"Unknown social network: {sorted(unknown)[0]}.")
    cleaned = {}
    for network in SOCIAL_NETWORKS:
        link = value.get(network)
        if link in (None, ""):
            continue
        if not isinstance(link, str) or len(link) > MAX_URL_LENGTH:
            raise ValueError(f"The {network} link is not a valid web address.")
        try:
            _url(link.strip())
        except ValidationError:
            raise ValueError(f"The {network} link must be a full address starting with https://.") from None
        cleaned[network] = link.strip()
    whatsapp = value.get("whatsapp")
    if whatsapp not in (None, ""):
        try:
            cleaned["whatsapp"] = normalise_phone(str(whatsapp))
        except InvalidPhoneNumber as error:
            raise ValueError(f"WhatsApp: {error.message}") from None
    return cleaned


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _darken(colour: str, step: float) -> str:
    return "#" + "".join(f"{round(int(colour[i : i + 2], 16) * (1 - step)):02x}" for i in (1, 3, 5))


def readable_on_white(colour: str) -> str:
    """The colour itself when it reads on white at 4.5:1 (WCAG AA), else the nearest darker shade.

    Merchants pick any colour; links and prices in it must still be readable.
    """
    shade, step = colour, 0.0
    while contrast_ratio(shade, "#ffffff") < 4.5 and step < 1:
        step += 0.05
        shade = _darken(colour, step)
    return shade


def text_on(colour: str) -> str:
    """White or near-black, whichever reads better on a background of `colour`."""
    return "#ffffff" if contrast_ratio(colour, "#ffffff") >= contrast_ratio(colour, "#111827") else "#111827"


def brand_css_variables(store) -> dict:
    """CSS custom properties for the storefront (static/css/storefront.css reads them);
    anything unset falls back to the default.

    Besides the merchant's three colours: `--color-on-primary` and `--color-on-accent` (text
    on those backgrounds) and `--color-primary-text` (primary as text on white), all chosen
    for AA contrast.
    """
    colours = {**DEFAULT_COLOURS, **(store.custom_colors or {})}
    fonts = store.custom_fonts or {}
    # Values read from the database may have been written by another backend: only
    # well-formed ones reach the page's <style>.
    safe = {
        key: value.lower()
        for key, value in colours.items()
        if isinstance(value, str) and COLOUR_PATTERN.match(value)
    }
    primary = safe.get("primary", DEFAULT_COLOURS["primary"])
    accent = safe.get("accent", DEFAULT_COLOURS["accent"])
    return {
        "--color-primary": primary,
        "--color-secondary": safe.get("secondary", DEFAULT_COLOURS["secondary"]),
        "--color-accent": accent,
        "--color-on-primary": text_on(primary),
        "--color-primary-text": readable_on_white(primary),
        "--color-on-accent": text_on(accent),
        "--font-heading": FONTS.get(fonts.get("heading"), FONTS[DEFAULT_FONT])[1],
        "--font-body": FONTS.get(fonts.get("body"), FONTS[DEFAULT_FONT])[1],
    }


def whatsapp_digits(store) -> str | None:
    """The store's WhatsApp number as wa.me wants it (digits, country code first)."""
    number = (store.social_links or {}).get("whatsapp")
    if not isinstance(number, str):
        return None
    digits = re.sub(r"\D", "", number)
    return digits or None
