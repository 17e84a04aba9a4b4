"""Storefront pages at /<username>/… . Each page is rendered from the database once per store
version and then served from the cache (stores/storefront_cache.py)."""

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from catalog.services import product_create
from catalog.validation import ProductInvalid
from config.errors import RateLimited, ServiceError
from config.http import client_ip
from config.images import ImageInvalid, image_prepare
from stores.branding import whatsapp_digits
from stores.forms import (
    BrandingForm,
    BusinessForm,
    EnquiryForm,
    FirstProductForm,
    StoreSettingsForm,
    TemplateForm,
)
from stores.models import StoreTemplate
from stores.opening_hours import booking_address, opening_hours_week
from stores.portfolio import testimonials_for_store
from stores.presentation import product_image, stock_state
from stores.selectors import (
    normalise_sort,
    store_for_error_page,
    store_get_live,
    store_get_owned,
    store_list_for_owner,
    store_username_availability,
    storefront_categories,
    storefront_featured,
    storefront_product,
    storefront_product_list,
    storefront_products,
)
from stores.seo import product_meta, store_meta
from stores.services import (
    StoreInvalid,
    UsernameTaken,
    store_branding_save,
    store_create,
    store_delete,
    store_enquiry_send,
    store_set_active,
    store_update,
)
from stores.storefront_cache import (
    CART_COUNT_PLACEHOLDER,
    CSRF_PLACEHOLDER,
    NONCE_PLACEHOLDER,
    cart_count,
    known_store_id,
    page_get,
    page_key,
    page_set,
    remember_store_id,
)
from stores.usernames import RESERVED_USERNAMES
from stores.view_counts import product_view_record

PRODUCTS_PER_PAGE = 24
FEATURED_COUNT = 8
SORT_LABELS = {
    "newest": "Newest",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "name": "Name",
}


def _serve(request, content: bytes, store_id) -> HttpResponse:
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if CART_COUNT_PLACEHOLDER.encode() in content:
        count = cart_count(request.session, store_id=store_id)
        content = content.replace(CART_COUNT_PLACEHOLDER.encode(), str(count).encode())
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
    return HttpResponse(content)


def cached_page(view):
    """Serves the page from the cache when its store has not changed since it was rendered.

    The key is taken before any database read, so a page rendered from rows that a write
    changed meanwhile is stored under an old version and never served.
    """

    @wraps(view)
    def wrapper(request, username, **kwargs):
        if username != username.lower():
            # Usernames are lower-case; a link typed with capitals still arrives.
            path = request.get_full_path().replace(f"/{username}", f"/{username.lower()}", 1)
            return redirect(path, permanent=True)
        key = page_key(username, request)
        if key is not None:
            content = page_get(key)
            if content is not None:
                return _serve(request, content, known_store_id(username))
        content, store = view(request, username, **kwargs)
        if key is None:
            remember_store_id(username, store.pk)
        else:
            page_set(key, content)
        return _serve(request, content, store.pk)

    return wrapper


def _context(request, store, meta, *, cached=True, **extra) -> dict:
    context = {
        "store": store,
        "meta": meta,
        "social": {key: value for key, value in (store.social_links or {}).items() if key != "whatsapp"},
        "whatsapp": whatsapp_digits(store),
        **extra,
    }
    if cached:
        # Cached pages carry no per-visitor state: no flash messages, placeholders for the
        # CSRF token, the cart count and the CSP nonce.
        context.update(
            messages=(), csrf_token=CSRF_PLACEHOLDER, cache_placeholders=True, CSP_NONCE=NONCE_PLACEHOLDER
        )
    return context


def _render(request, template, context) -> bytes:
    return render_to_string(template, context, request=request).encode()


@require_safe
@cached_page
def storefront_home(request, username):
    store = store_get_live(username=username)
    template_id = store.template_id or StoreTemplate.PRODUCTS
    handler = {StoreTemplate.BOOKINGS: _bookings_home, StoreTemplate.PORTFOLIO: _portfolio_home}.get(
        template_id, _products_home
    )
    return handler(request, store), store


def _page(request, products):
    return Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))


def _products_home(request, store) -> bytes:
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "").strip()[:100]
    sort = normalise_sort(request.GET.get("sort"))
    products = storefront_product_list(
        store=store, query=query, category=category, sort=request.GET.get("sort", "")
    )
    page = _page(request, products)
    filtering = bool(query or category)
    featured = (
        storefront_featured(store=store, limit=FEATURED_COUNT) if not filtering and page.number == 1 else []
    )
    title = f"Search results for “{query}” · {store.display_name}" if query else None
    params = {key: value for key, value in (("q", query), ("category", category), ("sort", sort)) if value}
    context = _context(
        request,
        store,
        store_meta(store, title=title),
        page=page,
        featured=featured,
        categories=storefront_categories(store=store),
        query=query,
        category=category,
        sort=sort,
        sort_labels=SORT_LABELS,
        page_query="&".join(f"{key}={quote(value)}" for key, value in params.items()),
    )
    return _render(request, "storefront/products/home.html", context)


def _bookings_home(request, store) -> bytes:
    page = _page(request, storefront_products(store=store).order_by("name", "id"))
    week = opening_hours_week(store=store)
    context = _context(
        request,
        store,
        store_meta(store),
        page=page,
        week=week,
        address=booking_address(store=store),
        open_days=sum(1 for day in week if not day.closed),
    )
    return _render(request, "storefront/bookings/home.html", context)


def _portfolio_home(request, store) -> bytes:
    page = _page(request, storefront_products(store=store).order_by("-is_featured", "-created_at", "-id"))
    context = _context(
        request,
        store,
        store_meta(store),
        page=page,
        works=[{"product": product, "image": product_image(product)} for product in page.object_list],
        form=EnquiryForm(),
        testimonials=testimonials_for_store(store=store),
    )
    return _render(request, "storefront/portfolio/home.html", context)


@cached_page
def _product_page(request, username, product_id):
    product = storefront_product(username=username, product_id=product_id)
    store = product.store
    meta = product_meta(product)
    images = [image for image in (product.images or []) if isinstance(image, str) and image]
    variations = [
        variation
        for variation in (product.variations or [])
        if isinstance(variation, dict) and variation.get("name") and variation.get("options")
    ]
    share_text = quote(f"{product.name}: {meta.canonical}")
    order_text = quote(
        f"Hello {store.display_name}, I would like to order: {product.name} ({meta.canonical})"
    )
    context = _context(
        request,
        store,
        meta,
        product=product,
        images=images,
        variations=variations,
        stock=stock_state(product),
        share_whatsapp=f"https://wa.me/?text={share_text}",
        order_whatsapp=f"https://wa.me/{whatsapp_digits(store)}?text={order_text}"
        if whatsapp_digits(store)
        else "",
    )
    return _render(request, "storefront/product.html", context), store


@require_safe
def storefront_product_page(request, username, product_id):
    response = _product_page(request, username, product_id=product_id)
    if response.status_code == 200:
        # Counted in the cache on every view, served from the cache or not; written in batches.
        product_view_record(product_id=product_id)
    return response


@require_safe
@cached_page
def storefront_about(request, username):
    store = store_get_live(username=username)
    meta = store_meta(store, path="/about", title=f"About {store.display_name}")
    return _render(request, "storefront/about.html", _context(request, store, meta)), store


# Any method, no CSRF check: it only answers 404, and an unknown /api/… path posted to must get
# the API's JSON 404 (config.views), not the CSRF failure page or a bare 405.
@csrf_exempt
def storefront_not_found(request, username, rest):
    """Any other path under a store: the store's own branded 404 page. A deeper path whose first
    segment is no store at all (/no/such/page) is not a store's page: the platform's 404."""
    # A platform path (/api/…) is never a store's: no need to look one up.
    if username.lower() in RESERVED_USERNAMES or store_for_error_page(path=request.path) is None:
        request.error_page_area = "platform"  # config.views picks the error page by it
    raise Http404("No such page")


def _live_store_with_template(username, template_id):
    store = store_get_live(username=username)
    if store.template_id != template_id:
        raise Http404("This store does not take bookings or enquiries")
    return store


@require_http_methods(["POST"])
def storefront_enquire(request, username):
    """The portfolio enquiry form: the merchant gets a dashboard notification and an email."""
    store = _live_store_with_template(username, StoreTemplate.PORTFOLIO)
    form = EnquiryForm(request.POST)
    meta = store_meta(store, path="/enquire", title=f"Enquiry · {store.display_name}")
    context = _context(request, store, meta, cached=False, form=form)
    if not form.is_valid():
        return render(request, "storefront/portfolio/enquire.html", context, status=400)
    if not form.cleaned_data["website"]:
        try:
            store_enquiry_send(
                store=store,
                ip=client_ip(request),
                **{key: form.cleaned_data[key] for key in ("name", "email", "phone", "message")},
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            return render(request, "storefront/portfolio/enquire.html", context, status=429)
    return render(request, "storefront/portfolio/enquiry_sent.html", context)


# --- Dashboard: onboarding and store settings (/dashboard/…) ---


@login_required
@require_GET
def store_list(request):
    stores = list(store_list_for_owner(user=request.user))
    return render(request, "stores/store_list.html", {"stores": stores})


def _show_errors(form, error: ServiceError, fields: dict[str, str] | None = None) -> None:
    """Puts a service's field errors on the form fields they came from."""
    fields = fields or {}
    details = getattr(error, "errors", None) or {}
    if not details:
        form.add_error(None, error.message)
    for name, problems in details.items():
        if name == "suggestions":
            continue
        target = fields.get(name, name)
        for message in problems if isinstance(problems, list) else [problems]:
            form.add_error(target if target in form.fields else None, message)


@login_required
@require_GET
def onboarding_username_check(request):
    """The live availability check of the username field (an htmx fragment)."""
    result = store_username_availability(username=request.GET.get("username", ""))
    return render(request, "stores/_username_status.html", {"result": result})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_business(request):
    form = BusinessForm(request.POST or None)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        try:
            store = store_create(user=request.user, **form.cleaned_data)
        except UsernameTaken as error:
            form.add_error("username", error.message)
            suggestions = error.details["suggestions"]
        except StoreInvalid as error:
            _show_errors(form, error)
        else:
            return redirect("dashboard:onboarding-template", store_id=store.pk)
    return render(
        request, "stores/onboarding/business.html", {"form": form, "suggestions": suggestions, "step": 1}
    )


def _onboarding_step(request, store_id, form, template, step, save, next_step):
    store = store_get_owned(user=request.user, store_id=store_id)
    if request.method == "POST" and form.is_valid():
        try:
            save(store, form)
        except StoreInvalid as error:
            _show_errors(form, error, {"custom_colors": None, "custom_fonts": None})
        except ServiceError as error:
            _show_errors(form, error)
        else:
            return redirect(next_step, store_id=store.pk)
    return render(request, template, {"form": form, "store": store, "step": step})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_template(request, store_id):
    store = store_get_owned(user=request.user, store_id=store_id)
    form = TemplateForm(request.POST or None, initial={"template_id": store.template_id})

    def save(store, form):
        store_update(user=request.user, store_id=store.pk, data=form.cleaned_data)

    return _onboarding_step(
        request, store_id, form, "stores/onboarding/template.html", 2, save, "dashboard:onboarding-branding"
    )


def _save_branding(request, store, form):
    store_branding_save(
        user=request.user, store_id=store.pk, data=form.store_data(), images=form.cleaned_data
    )


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_branding(request, store_id):
    store = store_get_owned(user=request.user, store_id=store_id)
    form = BrandingForm(request.POST or None, request.FILES or None, initial=BrandingForm.initial_for(store))
    return _onboarding_step(
        request,
        store_id,
        form,
        "stores/onboarding/branding.html",
        3,
        lambda store, form: _save_branding(request, store, form),
        "dashboard:onboarding-product",
    )


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_product(request, store_id):
    if request.method == "POST" and "skip" in request.POST:
        store = store_get_owned(user=request.user, store_id=store_id)
        return redirect("dashboard:onboarding-bank", store_id=store.pk)
    store = store_get_owned(user=request.user, store_id=store_id)
    form = FirstProductForm(
        request.POST or None, request.FILES or None, bookings=store.template_id == StoreTemplate.BOOKINGS
    )

    def save(store, form):
        data = {key: value for key, value in form.cleaned_data.items() if key != "photo"}
        try:
            uploads = [image_prepare(form.cleaned_data["photo"])] if form.cleaned_data.get("photo") else []
        except ImageInvalid as error:
            raise ProductInvalid({"photo": [error.message]}) from None
        product_create(user=request.user, store_id=store.pk, data=data, uploads=uploads)

    return _onboarding_step(
        request, store_id, form, "stores/onboarding/product.html", 4, save, "dashboard:onboarding-bank"
    )


@login_required
@require_http_methods(["GET", "POST"])
def store_settings(request, store_id):
    store = store_get_owned(user=request.user, store_id=store_id)
    form = StoreSettingsForm(
        request.POST or None, request.FILES or None, initial=StoreSettingsForm.initial_for(store)
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_branding(request, store, form)
        except StoreInvalid as error:
            _show_errors(form, error, {"social_links": None, "custom_colors": None, "custom_fonts": None})
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Store settings saved.")
            return redirect("dashboard:store-settings", store_id=store.pk)
    return render(request, "stores/settings.html", {"form": form, "store": store})


@login_required
@require_POST
def store_status(request, store_id):
    active = request.POST.get("is_active") == "true"
    store = store_get_owned(user=request.user, store_id=store_id)
    store = store_set_active(user=request.user, store_id=store.pk, is_active=active)
    messages.success(request, f"{store.display_name} is now {'live' if active else 'hidden from shoppers'}.")
    return redirect("dashboard:store-settings", store_id=store.pk)


@login_required
@require_http_methods(["GET", "POST"])
def store_delete_page(request, store_id):
    store = store_get_owned(user=request.user, store_id=store_id)
    if request.method == "POST":
        store_delete(user=request.user, store_id=store.pk)
        messages.success(request, f"{store.display_name} was deleted.")
        return redirect("dashboard:home")
    return render(request, "stores/delete.html", {"store": store})
