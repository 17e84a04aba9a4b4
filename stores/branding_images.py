"""Logo and banner uploads: checked by content with Pillow, re-encoded, resized, stored.

A minimal stand-in for the catalog's image pipeline (catalog/images.py on its branch),
kept to what store branding needs; once both are merged, store uploads can go through
that pipeline instead. Nothing is stored as sent: the picture is decoded and redrawn as
WebP, which drops EXIF (GPS positions included) and anything appended to the file.
"""

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import ServiceError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
SIZES = {"logo": (512, 512), "banner": (1920, 960)}
QUALITY = 85


class ImageInvalid(ServiceError):
    code = "invalid_image"


def branding_image_store(file, *, kind: str, folder: str) -> str:
    """Validates and stores an upload; returns its URL. Raises ImageInvalid."""
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ImageInvalid("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageInvalid("The image is larger than 5 MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageInvalid("Upload a JPEG, PNG or WebP image.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageInvalid("The image has too many pixels (25 megapixels at most).")
            image.load()
    except ImageInvalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageInvalid("The image has too many pixels (25 megapixels at most).") from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise ImageInvalid("This file is not a JPEG, PNG or WebP image.") from None
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    image.thumbnail(SIZES[kind])
    output = io.BytesIO()
    image.save(output, format="WEBP", quality=QUALITY)
    name = default_storage.save(f"{folder}/{kind}-{uuid.uuid4().hex}.webp", ContentFile(output.getvalue()))
    return default_storage.url(name)
