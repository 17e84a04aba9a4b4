"""Title, description, canonical URL, Open Graph/Twitter tags and JSON-LD of storefront pages."""

import json
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from config.money import kobo_text
from config.site_url import site_url
from stores.og_images import og_image_url
from stores.presentation import absolute_url, stock_state

DESCRIPTION_LENGTH = 155


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str
    image: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    og_type: str = "website"
    price: str | None = None
    currency: str = "NGN"
    site_name: str = ""
    json_ld: list[dict] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"

    @property
    def json_ld_script(self) -> str:
        """JSON-LD safe to place in a <script> element."""
        if not self.json_ld:
            return ""
        data = self.json_ld[0] if len(self.json_ld) == 1 else self.json_ld
        text = json.dumps(data, ensure_ascii=False)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def _description(text: str | None, fallback: str) -> str:
    plain = " ".join(strip_tags(text or "").split()) or fallback
    return Truncator(plain).chars(DESCRIPTION_LENGTH)


def store_meta(store, *, path: str = "", title: str | None = None) -> PageMeta:
    canonical = f"{site_url()}{store.get_absolute_url()}{path}"
    return PageMeta(
        title=title or store.display_name,
        description=_description(store.description, f"Shop {store.display_name} online."),
        canonical=canonical,
        image=absolute_url(store.banner_url or store.logo_url),
        site_name=store.display_name,
        json_ld=[
            {
                "@context": "https://schema.org",
                "@type": "Store",
                "name": store.display_name,
                "url": f"{site_url()}{store.get_absolute_url()}",
                **({"description": store.description} if store.description else {}),
                **({"logo": absolute_url(store.logo_url)} if store.logo_url else {}),
            }
        ],
    )


def product_meta(product) -> PageMeta:
    store = product.store
    url = f"{site_url()}{store.get_absolute_url()}/p/{product.pk}"
    images = [absolute_url(image) for image in (product.images or []) if isinstance(image, str) and image]
    state = stock_state(product)
    offer = {
        "@type": "Offer",
        "price": kobo_text(product.price),
        "priceCurrency": "NGN",
        "availability": "https://schema.org/InStock" if state.available else "https://schema.org/OutOfStock",
        "url": url,
        "seller": {"@type": "Organization", "name": store.display_name},
    }
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": _description(product.description, product.name),
        "url": url,
        "offers": offer,
        **({"image": images} if images else {}),
        **({"sku": product.sku} if getattr(product, "sku", None) else {}),
        **({"category": product.category} if product.category else {}),
        "brand": {"@type": "Brand", "name": store.display_name},
    }
    return PageMeta(
        title=f"{product.name} · {store.display_name}",
        description=_description(product.description, f"{product.name} from {store.display_name}."),
        canonical=url,
        # the server-drawn 1200x630 card (photo, name, price, stock): stores/og_images.py
        image=og_image_url(product),
        image_width=1200,
        image_height=630,
        og_type="product",
        price=kobo_text(product.price),
        site_name=store.display_name,
        json_ld=[json_ld],
    )
