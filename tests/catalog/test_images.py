import io
import re
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.images import ImageInvalid, image_prepare, image_store, responsive_image, thumbnail_url
from tests.catalog.conftest import image_bytes

pytestmark = pytest.mark.django_db


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions over a few bytes of data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(url: str) -> Image.Image:
    name = url.split("/media/", 1)[1]
    with default_storage.open(name) as file:
        picture = Image.open(io.BytesIO(file.read()))
        picture.load()
        return picture


def test_a_large_photo_is_resized_with_a_thumbnail_and_its_exif_dropped(stored_names):
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x8825] = {2: (6.0, 27.0, 0.0)}  # GPS
    data = image_bytes("JPEG", size=(3200, 2400), exif=exif.tobytes())

    url, thumbnail = image_store(upload(data), "products/store-a")

    assert re.fullmatch(rf"{settings.SITE_URL}/media/products/store-a/[0-9a-f]{{32}}-v2\.jpg", url)
    assert thumbnail == thumbnail_url(url)
    assert thumbnail.endswith("_thumb.jpg")
    main = opened(url)
    small = opened(thumbnail)
    assert (main.format, main.size) == ("JPEG", (1600, 1200))
    assert (small.format, small.size) == ("JPEG", (400, 300))
    assert dict(main.getexif()) == {}
    assert len(stored_names("products/store-a")) == 6
    stem = url.removesuffix(".jpg")
    for name, size, kind in [
        ("_800.jpg", (800, 600), "JPEG"),
        ("_webp.webp", (1600, 1200), "WEBP"),
        ("_800_webp.webp", (800, 600), "WEBP"),
        ("_thumb_webp.webp", (400, 300), "WEBP"),
    ]:
        picture = opened(stem + name)
        assert (picture.format, picture.size) == (kind, size), name
    image = responsive_image(url)
    assert image.src == thumbnail
    assert image.srcset == f"{thumbnail} 400w, {stem}_800.jpg 800w, {url} 1600w"
    assert (
        image.webp_srcset == f"{stem}_thumb_webp.webp 400w, {stem}_800_webp.webp 800w, {stem}_webp.webp 1600w"
    )


def test_older_and_foreign_images_offer_the_sizes_they_have():
    old = "https://cdn.test/media/products/s/0123456789abcdef0123456789abcdef.jpg"
    assert responsive_image(old).srcset == f"{old.removesuffix('.jpg')}_thumb.jpg 400w, {old} 1600w"
    assert responsive_image(old).webp_srcset == ""
    foreign = "https://example.com/shoe.png"
    assert (responsive_image(foreign).src, responsive_image(foreign).srcset) == (foreign, "")


def test_a_photo_taken_sideways_is_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    data = image_bytes("JPEG", size=(300, 200), exif=exif.tobytes())

    prepared = image_prepare(io.BytesIO(data))

    assert (prepared.width, prepared.height) == (200, 300)
    assert dict(Image.open(io.BytesIO(prepared.main)).getexif()) == {}


def test_a_palette_png_is_accepted():
    data = image_bytes("PNG", size=(64, 64), mode="P", color=3)
    prepared = image_prepare(io.BytesIO(data))
    assert (prepared.extension, prepared.width) == ("jpg", 64)


def test_a_transparent_png_becomes_webp_and_keeps_its_alpha():
    data = image_bytes("PNG", size=(500, 500), color=(0, 0, 0, 0), mode="RGBA")

    url, thumbnail = image_store(upload(data, "logo.png", "image/png"), "stores/s1")

    main = opened(url)
    assert (main.format, main.mode, main.size) == ("WEBP", "RGBA", (500, 500))
    assert opened(thumbnail).size == (400, 400)


def test_webp_is_accepted():
    prepared = image_prepare(io.BytesIO(image_bytes("WEBP", size=(100, 50))))
    assert (prepared.extension, prepared.width, prepared.height) == ("jpg", 100, 50)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    ("_case", "data", "message"),
    [
        (
            "a text file renamed .jpg",
            b"hello, this is not a picture\n" * 20,
            "Upload a JPEG, PNG or WebP image.",
        ),
        ("a gif", image_bytes("GIF", size=(10, 10)), "Upload a JPEG, PNG or WebP image."),
        ("empty", b"", "The file is empty."),
        ("truncated", image_bytes("JPEG", size=(400, 400))[:300], "The image is damaged or incomplete."),
        (
            "over 10 MB",
            image_bytes("JPEG", size=(50, 50)) + b"\0" * (10 * 1024 * 1024),
            "The image is larger than 10 MB.",
        ),
        (
            "41 megapixels",
            image_bytes("PNG", size=(8000, 5125), mode="1", color=0),
            "The image has too many pixels: at most 40 megapixels.",
        ),
        (
            "decompression bomb",
            png_header_only(100_000, 100_000),
            "The image has too many pixels: at most 40 megapixels.",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(stored_names, _case, data, message):
    with pytest.raises(ImageInvalid) as raised:
        image_store(upload(data), "products/bad-store")
    assert raised.value.message == message
    assert raised.value.http_status == 400
    assert stored_names("products/bad-store") == []


def test_thumbnail_url_only_rewrites_our_own_names():
    own = "https://cdn.test/media/products/s/0123456789abcdef0123456789abcdef.jpg"
    assert (
        thumbnail_url(own) == "https://cdn.test/media/products/s/0123456789abcdef0123456789abcdef_thumb.jpg"
    )
    assert thumbnail_url("https://elsewhere.test/photo.jpg") == "https://elsewhere.test/photo.jpg"
