"""What a shopper's phone downloads for one page on first load: the gzipped HTML, its
stylesheet and scripts, and every image at the size a 360 px phone picks (the storefront's
100 KB budget, issue 11). Photos are the demo's photo-like JPEGs, stored through the real
image pipeline, so the thumbnails weigh what a merchant's would."""

import functools
import gzip
import io
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage

from config.images import image_prepare, image_save
from stores.demo import demo_photo

BUDGET_BYTES = 100 * 1024


@functools.cache
def prepared_photo(index: int):
    # re-encoding is the slow part: each test stores the same few prepared photos anew
    return image_prepare(io.BytesIO(demo_photo(index)))


def photo_url(store, index=0, folder="products") -> str:
    return image_save(prepared_photo(index % 3), folder=f"{folder}/{store.pk}").url


def _gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def _static_bytes(url: str) -> int:
    return _gzipped_size(Path(finders.find(url.removeprefix("/static/"))).read_bytes())


def _pick(srcset: str, viewport: int) -> str:
    """The candidate a 1x phone of `viewport` px picks: the smallest width that fills it."""
    candidates = sorted((int(width), url) for url, width in re.findall(r"(\S+) (\d+)w", srcset))
    return next((url for width, url in candidates if width >= viewport), candidates[-1][1])


def image_bytes(html: str, viewport: int = 360) -> int:
    """Every image of the page (lazy ones too), WebP where offered; a bare <img> (outside a
    <picture>) counts at its srcset's pick or its src, so a full-size photo is not missed. A
    file shown twice (a featured product is in the catalogue too) is downloaded once."""
    chosen = set()
    for picture in re.findall(r"<picture>.*?</picture>", html, re.S):
        webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture)
        srcset = webp.group(1) if webp else re.search(r'srcset="([^"]+)"', picture).group(1)
        chosen.add(_pick(srcset, viewport))
    for image in re.findall(r"<img [^>]*>", re.sub(r"<picture>.*?</picture>", "", html, flags=re.S)):
        srcset = re.search(r'srcset="([^"]+)"', image)
        chosen.add(
            _pick(srcset.group(1), viewport) if srcset else re.search(r'src="([^"]+)"', image).group(1)
        )
    media = [url.split("/media/", 1)[1] for url in chosen if "/media/" in url]
    return sum(default_storage.size(name) for name in media)


def page_weight(response) -> int:
    """Transferred bytes of a page fetched with Accept-Encoding: gzip (a page sent
    uncompressed, such as a POST's answer, counts at its full size)."""
    gzipped = response.get("Content-Encoding") == "gzip"
    html = (gzip.decompress(response.content) if gzipped else response.content).decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    return len(response.content) + sum(map(_static_bytes, assets)) + image_bytes(html)
