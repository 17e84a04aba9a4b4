"""The share kit: public QR codes and Open Graph cards, short product links, and the
merchant's /dashboard/share/ page (links, QR codes, copy fields, "Order on WhatsApp")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.errors import ServiceError
from config.qr_codes import qr_png, qr_svg
from config.site_url import site_url
from stores import views
from stores.og_images import og_image, og_version
from stores.presentation import product_short_path
from stores.selectors import (
    store_get_live,
    store_list_for_owner,
    store_whatsapp_ordering_enabled,
    storefront_product,
    storefront_product_by_slug,
    storefront_products,
)
from stores.services import store_whatsapp_ordering_set

# Printed links rarely change; a day in shared caches, a fresh code the day after a change.
QR_CACHE_SECONDS = 86400
PRODUCTS_PER_PAGE = 25


def _image(content: bytes, content_type: str, *, max_age: int) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def store_link(store) -> str:
    return f"{site_url()}/{store.username}"


def product_link(product) -> str:
    return f"{site_url()}{product_short_path(product)}"


@require_safe
def store_qr_png(request, username):
    store = store_get_live(username=username)
    return _image(qr_png(store_link(store)), "image/png", max_age=QR_CACHE_SECONDS)


@require_safe
def store_qr_svg(request, username):
    store = store_get_live(username=username)
    return _image(qr_svg(store_link(store)), "image/svg+xml", max_age=QR_CACHE_SECONDS)


@require_safe
def product_qr_png(request, username, product_id):
    product = storefront_product(username=username, product_id=product_id)
    return _image(qr_png(product_link(product)), "image/png", max_age=QR_CACHE_SECONDS)


@require_safe
def product_og_png(request, username, product_id):
    """The product's 1200x630 card. The page links it with ?v=<version>: that exact version
    may be cached for good; any other URL is the current card, cached briefly."""
    product = storefront_product(username=username, product_id=product_id)
    current = request.GET.get("v") == og_version(product)
    return _image(og_image(product), "image/png", max_age=31536000 if current else 300)


@require_safe
def product_short_page(request, username, slug):
    """/<username>/p/<slug>: the same page as the id link, which stays the canonical URL."""
    product = storefront_product_by_slug(username=username, slug=slug)
    return views.storefront_product_page(request, username, product_id=product.pk)


def _chosen_store(request, stores):
    wanted = request.GET.get("store") or request.POST.get("store")
    return next((store for store in stores if store.pk == wanted), stores[0] if stores else None)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_share(request):
    stores = list(store_list_for_owner(user=request.user))
    store = _chosen_store(request, stores)
    if store is None:
        return render(request, "stores/share.html", {"stores": stores, "store": None})
    page = Paginator(
        storefront_products(store=store, fields=None).order_by("name", "id"), PRODUCTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    for product in page.object_list:
        product.store = store
    return render(
        request,
        "stores/share.html",
        {
            "stores": stores,
            "store": store,
            "store_link": store_link(store),
            "store_query": f"store={store.pk}",
            "whatsapp_ordering": store_whatsapp_ordering_enabled(store=store),
            "page": page,
            "products": [(product, product_link(product)) for product in page.object_list],
        },
    )


@login_required
@require_POST
def dashboard_whatsapp_ordering(request):
    store_id = request.POST.get("store", "")
    try:
        store_whatsapp_ordering_set(
            user=request.user, store_id=store_id, enabled=request.POST.get("enabled") == "on"
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        on = request.POST.get("enabled") == "on"
        messages.success(request, "Order on WhatsApp is on." if on else "Order on WhatsApp is off.")
    return redirect(f"/dashboard/share/?store={store_id}")
