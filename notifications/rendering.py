"""Turn a template name and a context into the text of an email or an SMS.

Email: templates/notifications/email/<name>_subject.txt, <name>.txt and <name>.html, the
last two extending the shared layout in templates/emails/. SMS: templates/notifications/sms/
<name>.txt, collapsed to one line of plain text.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from config.site_url import site_url

# The GSM 03.38 basic character set: a message made only of these fits 160 characters in
# one segment; any other character (curly quotes, emoji, ₦) switches it to UCS-2 and 70.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")
SMS_SEGMENT_LENGTH = 160


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    from_name: str


def _context(context: dict) -> dict:
    store = context.get("store")
    return {
        "site_name": settings.SITE_NAME,
        "site_url": site_url(),
        "brand_name": store.display_name if store is not None else settings.SITE_NAME,
        "brand_color": _store_color(store),
        **context,
    }


def _store_color(store) -> str:
    colors = getattr(store, "custom_colors", None)
    if isinstance(colors, dict):
        color = colors.get("primary")
        if isinstance(color, str) and re.fullmatch(r"#[0-9a-fA-F]{3,8}", color):
            return color
    return "#0f766e"


def render_email(template: str, context: dict) -> RenderedEmail:
    full_context = _context(context)
    subject = render_to_string(f"notifications/email/{template}_subject.txt", full_context)
    store = context.get("store")
    return RenderedEmail(
        subject=" ".join(subject.split())[:255],
        text=render_to_string(f"notifications/email/{template}.txt", full_context).strip() + "\n",
        html=render_to_string(f"notifications/email/{template}.html", full_context),
        # Shoppers recognise the store, not the platform, in their inbox.
        from_name=f"{store.display_name} via {settings.SITE_NAME}" if store is not None else "",
    )


def render_sms(template: str, context: dict) -> str:
    return " ".join(render_to_string(f"notifications/sms/{template}.txt", _context(context)).split())


def sms_segments(text: str) -> int:
    """How many SMS segments `text` costs (GSM-7 160/153, otherwise UCS-2 70/67)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        length = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        single, multi = SMS_SEGMENT_LENGTH, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if length <= single:
        return 1
    return -(-length // multi)
