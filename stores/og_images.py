"""Open Graph cards of products: 1200x630 PNGs drawn with Pillow (photo, name, price, "only N
left"), so a product link pasted in WhatsApp or Instagram shows a rich card.

A card is stored once in the default storage under a name made from what it shows (the
product's `updated_at`, name, price, stock label, photo, store name): any change to those
gives a new name, so a stale card is never served and nothing has to be deleted by hand. The
product page's og:image carries the same digest (`?v=`), so chat apps that cache images by URL
fetch the new card too.
"""

import hashlib
import io
import logging
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from config.money import kobo_text, naira, naira_sms
from config.site_url import site_url
from stores.branding import brand_css_variables
from stores.presentation import product_image, stock_state

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
PHOTO_SIZE = 630
PADDING = 56
# Fonts with the naira sign, when the machine has them; Pillow's own scalable font otherwise
# (it lacks ₦, so prices are then written "NGN 15,000").
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def og_version(product) -> str:
    """A digest of everything the card shows: a new value means a new card."""
    parts = [
        str(product.updated_at.timestamp() if product.updated_at else ""),
        product.name or "",
        kobo_text(product.price),
        stock_state(product).label,
        product_image(product) or "",
        product.store.display_name,
        brand_css_variables(product.store)["--color-primary"],
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def og_image_url(product) -> str:
    return f"{site_url()}/{product.store.username}/p/{product.pk}/og.png?v={og_version(product)}"


def _storage_name(product) -> str:
    return f"og/{product.store_id}/{product.pk}/{og_version(product)}.png"


def og_image(product) -> bytes:
    """The card's PNG, drawn and stored the first time this version is asked for."""
    name = _storage_name(product)
    try:
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                return stored.read()
    except Exception:
        logger.warning("OG image %s could not be read from storage", name, exc_info=True)
    content = og_draw(product)
    try:
        default_storage.save(name, ContentFile(content))
    except Exception:
        logger.warning("OG image %s could not be stored", name, exc_info=True)
    return content


@cache
def _font_file() -> str | None:
    for path in FONT_CANDIDATES:
        try:
            ImageFont.truetype(path, 10)
        except OSError:
            continue
        return path
    return None


def _font(size: int, *, bold: bool = False):
    path = _font_file()
    if path:
        return ImageFont.truetype(path if bold else path.replace("-Bold", ""), size)
    return ImageFont.load_default(size=size)


def _price(amount) -> str:
    return naira(amount) if _font_file() else naira_sms(amount)


def _photo(product) -> Image.Image | None:
    """The product's first photo when it is in our own media storage (never a fetch of an
    arbitrary URL from the server), squared to the card's height."""
    url = product_image(product)
    if not url:
        return None
    path = urlsplit(url).path
    media = urlsplit(settings.MEDIA_URL).path
    if not path.startswith(media):
        return None
    name = path[len(media) :]
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            return None
        picture = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    return ImageOps.fit(picture, (PHOTO_SIZE, PHOTO_SIZE))


def _wrap(draw, text: str, font, width: int, lines: int) -> list[str]:
    words, result, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            current = trial
            continue
        if current:
            result.append(current)
        current = word
        if len(result) == lines:
            break
    if current and len(result) < lines:
        result.append(current)
    if len(result) == lines and " ".join(result) != " ".join(words):
        last = result[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        result[-1] = last.rstrip() + "…"
    return result


def og_draw(product) -> bytes:
    brand = brand_css_variables(product.store)["--color-primary"]
    card = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(card)
    photo = _photo(product)
    text_left = PADDING
    if photo is not None:
        card.paste(photo, (WIDTH - PHOTO_SIZE, 0))
    else:
        draw.rectangle((WIDTH - PHOTO_SIZE, 0, WIDTH, HEIGHT), fill=brand)
        initial = (product.name or "?")[:1].upper()
        big = _font(260, bold=True)
        box = draw.textbbox((0, 0), initial, font=big)
        draw.text(
            (WIDTH - PHOTO_SIZE / 2 - (box[2] - box[0]) / 2, HEIGHT / 2 - (box[3] - box[1]) / 2 - box[1]),
            initial,
            font=big,
            fill="white",
        )
    text_width = WIDTH - PHOTO_SIZE - 2 * PADDING
    draw.rectangle((0, 0, WIDTH - PHOTO_SIZE, 12), fill=brand)
    draw.text((text_left, PADDING), product.store.display_name[:40], font=_font(30), fill="#4b5563")
    y = PADDING + 70
    name_font = _font(54, bold=True)
    for line in _wrap(draw, product.name or "", name_font, text_width, 3):
        draw.text((text_left, y), line, font=name_font, fill="#111827")
        y += 66
    y += 20
    draw.text((text_left, y), _price(product.price), font=_font(60, bold=True), fill=brand)
    state = stock_state(product)
    if state.code != "in_stock":
        label_font = _font(34, bold=True)
        label = state.label
        box = draw.textbbox((0, 0), label, font=label_font)
        top = HEIGHT - PADDING - (box[3] - box[1]) - 24
        colour = "#b91c1c" if state.code == "sold_out" else "#b45309"
        draw.rounded_rectangle(
            (text_left, top, text_left + (box[2] - box[0]) + 40, HEIGHT - PADDING), radius=12, fill=colour
        )
        draw.text((text_left + 20, top + 12 - box[1]), label, font=label_font, fill="white")
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
