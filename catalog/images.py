"""Image uploads: checked by content, re-encoded, resized, stored through `default_storage`.

Nothing a merchant uploads is stored as sent. The bytes must decode as a real JPEG, PNG or
WebP within the size and pixel limits; the picture is then redrawn (which drops EXIF,
GPS positions included, and anything appended to the file), resized to a web size and a
thumbnail, and saved under `<folder>/<32 hex>.<ext>` with its thumbnail beside it as
`<folder>/<32 hex>_thumb.<ext>`. Product and store rows keep only the main URL; the
thumbnail URL is derived from it by `thumbnail_url`, so the seed's `images` column stays a
plain list of URL strings that the other backends can read.
"""

import io
import logging
import re
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import ServiceError
from config.site_url import site_url

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAIN_MAX_SIDE = 1600
THUMBNAIL_MAX_SIDE = 400
QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

# Pillow refuses to open anything above twice this many pixels (DecompressionBombError)
# before decoding a byte; between one and two times it only warns, which `image_prepare`
# turns into a refusal by checking the size itself.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

logger = logging.getLogger(__name__)

OWN_IMAGE_NAME = re.compile(r"(/[0-9a-f]{32})(\.(?:jpg|webp))$")


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


def image_prepare(file) -> PreparedImage:
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
    thumbnail = main.copy()
    thumbnail.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE), Image.Resampling.LANCZOS)
    return PreparedImage(
        main=_bytes(main, extension),
        thumbnail=_bytes(thumbnail, extension),
        extension=extension,
        width=main.width,
        height=main.height,
    )


def _bytes(picture: Image.Image, extension: str) -> bytes:
    buffer = io.BytesIO()
    if extension == "jpg":
        picture.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    else:
        picture.save(buffer, "WEBP", quality=QUALITY, method=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class StoredImage:
    name: str
    thumbnail_name: str
    url: str
    thumbnail_url: str


def image_save(prepared: PreparedImage, *, folder: str) -> StoredImage:
    """Stores a prepared image and its thumbnail under `folder`."""
    stem = f"{folder.strip('/')}/{uuid.uuid4().hex}"
    main_name = default_storage.save(f"{stem}.{prepared.extension}", ContentFile(prepared.main))
    try:
        thumbnail_name = default_storage.save(
            f"{stem}_thumb.{prepared.extension}", ContentFile(prepared.thumbnail)
        )
    except Exception:
        default_storage.delete(main_name)
        raise
    return StoredImage(
        name=main_name,
        thumbnail_name=thumbnail_name,
        url=absolute_media_url(default_storage.url(main_name)),
        thumbnail_url=absolute_media_url(default_storage.url(thumbnail_name)),
    )


def image_delete(stored: StoredImage) -> None:
    default_storage.delete(stored.name)
    default_storage.delete(stored.thumbnail_name)


def image_store(file, folder: str) -> tuple[str, str]:
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


def thumbnail_url(url: str) -> str:
    """The thumbnail stored beside an image we stored; any other URL is its own thumbnail."""
    return OWN_IMAGE_NAME.sub(r"\1_thumb\2", url)
