"""Image uploads: checked by content, re-encoded, resized, stored through `default_storage`.

Nothing a merchant uploads is stored as sent. The bytes must decode as a real JPEG, PNG or
WebP within the size and pixel limits; the picture is then redrawn (which drops EXIF,
GPS positions included, and anything appended to the file), resized to a web size
(1600 px), a medium size (800 px) and a thumbnail (400 px), and saved as a responsive set
under `<folder>/<32 hex>-v2`:

    <stem>.jpg  <stem>_800.jpg  <stem>_thumb.jpg              (every phone, link previews)
    <stem>_webp.webp  <stem>_800_webp.webp  <stem>_thumb_webp.webp   (smaller, for <picture>)

A transparent upload is WebP throughout (`<stem>.webp`, `<stem>_800.webp`,
`<stem>_thumb.webp`) and has no second format. Product and store rows keep only the main
URL; the other sizes are derived from it (`thumbnail_url`, `responsive_image`), so the seed's
`images` column stays a plain list of URL strings that the other backends can read. The
WebP copies have names of their own because Cloudinary keys a file by its name without the
extension. Images stored before the responsive set (`<32 hex>.jpg` with only a
`_thumb` beside it) keep working with the sizes they have.
"""

import io
import logging
import re
import uuid
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import ServiceError
from config.site_url import site_url

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAIN_MAX_SIDE = 1600
MEDIUM_MAX_SIDE = 800
THUMBNAIL_MAX_SIDE = 400
QUALITY = 85
WEBP_QUALITY = 80
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

# Pillow refuses to open anything above twice this many pixels (DecompressionBombError)
# before decoding a byte; between one and two times it only warns, which `image_prepare`
# turns into a refusal by checking the size itself.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

logger = logging.getLogger(__name__)

OWN_IMAGE_NAME = re.compile(r"(/[0-9a-f]{32}(?:-v2)?)(\.(?:jpg|webp))$")
RESPONSIVE_SET_NAME = re.compile(r"^(.*/[0-9a-f]{32}-v2)\.(jpg|webp)$")
RESPONSIVE_SET_MARK = "-v2"


class ImageInvalid(ServiceError):
    code = "invalid_image"


@dataclass(frozen=True)
class PreparedImage:
    """A validated upload, re-encoded and ready to store."""

    main: bytes
    thumbnail: bytes
    extension: str
    width: int
    height: int
    medium: bytes = b""
    # WebP copies of an opaque picture's three sizes (empty when the picture is WebP already)
    webp_main: bytes = b""
    webp_medium: bytes = b""
    webp_thumbnail: bytes = b""


def image_prepare(file: IO[bytes]) -> PreparedImage:
    """Checks an uploaded file and re-encodes it; raises ImageInvalid with a message for the merchant."""
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ImageInvalid("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageInvalid("The image is larger than 10 MB.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            _check_header(probe)
            probe.verify()
        with Image.open(io.BytesIO(data)) as picture:
            return _encode(picture)
    except ImageInvalid:
        raise
    except Image.DecompressionBombError:
        raise ImageInvalid("The image has too many pixels: at most 40 megapixels.") from None
    except UnidentifiedImageError:
        raise ImageInvalid("Upload a JPEG, PNG or WebP image.") from None
    except Exception as error:
        # Malformed files make Pillow raise many kinds of errors (OSError, SyntaxError,
        # ValueError, struct.error, …); every one of them is the file's fault.
        logger.info("refused an image upload: %r", error)
        raise ImageInvalid("The image is damaged or incomplete.") from None


def _check_header(picture: Image.Image) -> None:
    if picture.format not in ACCEPTED_FORMATS:
        raise ImageInvalid("Upload a JPEG, PNG or WebP image.")
    width, height = picture.size
    if width < 1 or height < 1:
        raise ImageInvalid("The image is damaged or incomplete.")
    if width * height > MAX_PIXELS:
        raise ImageInvalid("The image has too many pixels: at most 40 megapixels.")


def _encode(picture: Image.Image) -> PreparedImage:
    transparent = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    # Opaque pictures become progressive JPEGs (every phone and every link preview reads
    # them); transparent ones become WebP, which keeps the alpha channel.
    mode, extension = ("RGBA", "webp") if transparent else ("RGB", "jpg")

    picture.seek(0)  # the first frame of an animated PNG or WebP
    if picture.format == "JPEG":
        # decode a big JPEG at 1/2, 1/4 or 1/8 scale straight away: a 40-megapixel photo
        # never sits in memory at full size
        picture.draft("RGB", (MAIN_MAX_SIDE, MAIN_MAX_SIDE))
    picture.load()
    if picture.mode in ("P", "1"):
        # palette pictures only resize well once they are true colour
        picture = picture.convert(mode)
    picture.thumbnail((MAIN_MAX_SIDE, MAIN_MAX_SIDE), Image.Resampling.LANCZOS)  # in place
    main = ImageOps.exif_transpose(picture)  # a copy, without the EXIF block
    if main.mode != mode:
        main = main.convert(mode)
    medium = main.copy()
    medium.thumbnail((MEDIUM_MAX_SIDE, MEDIUM_MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = medium.copy()
    thumbnail.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE), Image.Resampling.LANCZOS)
    webp = {}
    if extension == "jpg":
        webp = {
            "webp_main": _bytes(main, "webp"),
            "webp_medium": _bytes(medium, "webp"),
            "webp_thumbnail": _bytes(thumbnail, "webp"),
        }
    return PreparedImage(
        main=_bytes(main, extension),
        medium=_bytes(medium, extension),
        thumbnail=_bytes(thumbnail, extension),
        extension=extension,
        width=main.width,
        height=main.height,
        **webp,
    )


def _bytes(picture: Image.Image, extension: str) -> bytes:
    buffer = io.BytesIO()
    if extension == "jpg":
        picture.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    else:
        # WebP at a lower quality setting looks like JPEG at 85 and is about a third smaller.
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class StoredImage:
    name: str
    thumbnail_name: str
    url: str
    thumbnail_url: str
    # the medium size and the WebP copies (see the module's docstring)
    other_names: tuple[str, ...] = ()


def image_save(prepared: PreparedImage, *, folder: str) -> StoredImage:
    """Stores a prepared image, its thumbnail and its other sizes under `folder`."""
    stem = f"{folder.strip('/')}/{uuid.uuid4().hex}{RESPONSIVE_SET_MARK}"
    ext = prepared.extension
    files = [
        (f"{stem}.{ext}", prepared.main),
        (f"{stem}_thumb.{ext}", prepared.thumbnail),
        (f"{stem}_800.{ext}", prepared.medium),
    ]
    if prepared.webp_main:
        files += [
            (f"{stem}_webp.webp", prepared.webp_main),
            (f"{stem}_800_webp.webp", prepared.webp_medium),
            (f"{stem}_thumb_webp.webp", prepared.webp_thumbnail),
        ]
    saved: list[str] = []
    try:
        for name, data in files:
            saved.append(default_storage.save(name, ContentFile(data)))
    except Exception:
        for name in saved:
            default_storage.delete(name)
        raise
    return StoredImage(
        name=saved[0],
        thumbnail_name=saved[1],
        url=absolute_media_url(default_storage.url(saved[0])),
        thumbnail_url=absolute_media_url(default_storage.url(saved[1])),
        other_names=tuple(saved[2:]),
    )


def image_delete(stored: StoredImage) -> None:
    for name in (stored.name, stored.thumbnail_name, *stored.other_names):
        default_storage.delete(name)


def image_store(file: IO[bytes], folder: str) -> tuple[str, str]:
    """Validates, re-encodes and stores an upload: (url, thumbnail_url).

    The entry point for store logos and banners (folder "stores/<store id>") as well as
    product images (folder "products/<store id>"). Raises ImageInvalid, storing nothing.
    """
    stored = image_save(image_prepare(file), folder=folder)
    return stored.url, stored.thumbnail_url


def absolute_media_url(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{site_url()}{url}"


def media_url_here(url: str) -> str:
    """An image stored outside any request (the demo seed) names the default host
    (settings.SITE_URL); a page served on another host (a phone on the LAN reaching `make
    run`) shows it from that host, as site_url() does for every other link."""
    default, here = settings.SITE_URL, site_url()
    if here != default and url.startswith(f"{default}{settings.MEDIA_URL}"):
        return f"{here}{url.removeprefix(default)}"
    return url


def thumbnail_url(url: str) -> str:
    """The thumbnail stored beside an image we stored; any other URL is its own thumbnail."""
    return OWN_IMAGE_NAME.sub(r"\1_thumb\2", media_url_here(url))


@dataclass(frozen=True)
class ResponsiveImage:
    """What a page needs to show an image at the size it asks for.

    `src` is the fallback (the smallest JPEG, or the URL itself); `srcset` lists the sizes
    in the fallback format, `webp_srcset` the WebP copies (empty when there are none).
    """

    src: str
    srcset: str
    webp_srcset: str
    large: str


def responsive_image(url: str) -> ResponsiveImage:
    """The sizes stored beside an image: all three sizes in both formats for a responsive set,
    the thumbnail and the main image for an older upload of ours, the URL alone otherwise."""
    url = media_url_here(url or "")
    match = RESPONSIVE_SET_NAME.match(url)
    if match:
        stem, ext = match.groups()
        srcset = f"{stem}_thumb.{ext} 400w, {stem}_800.{ext} 800w, {url} 1600w"
        webp = ""
        if ext == "jpg":
            webp = f"{stem}_thumb_webp.webp 400w, {stem}_800_webp.webp 800w, {stem}_webp.webp 1600w"
        return ResponsiveImage(src=f"{stem}_thumb.{ext}", srcset=srcset, webp_srcset=webp, large=url)
    thumbnail = thumbnail_url(url)
    if thumbnail != url:
        srcset = f"{thumbnail} 400w, {url} 1600w"
        return ResponsiveImage(src=thumbnail, srcset=srcset, webp_srcset="", large=url)
    return ResponsiveImage(src=url, srcset="", webp_srcset="", large=url)
