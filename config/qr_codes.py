"""QR codes as PNG (Pillow) and SVG, drawn here with the `qrcode` package: no external service.

Merchants print these on posters and packaging, so the PNG is big enough for A4 (1,200 px
and more) and the SVG scales to any size. Error correction M: a code survives a crease or a
sticker over a corner.
"""

import io

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathFillImage

# Printable poster size: 29 modules of a typical link plus the quiet zone, at 36 px a module.
POSTER_BOX_SIZE = 36
SCREEN_BOX_SIZE = 10
BORDER = 4


def _code(data: str, box_size: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str, *, box_size: int = POSTER_BOX_SIZE) -> bytes:
    image = _code(data, box_size).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(data: str) -> bytes:
    """A scalable SVG (one path on a white square, 1 mm a module): print it at any size."""
    image = _code(data, SCREEN_BOX_SIZE).make_image(image_factory=SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
