"""HTML pages: the shopper's cart, checkout, order placed and tracking pages, and the
merchant's order dashboard. They translate forms into service calls and nothing more."""

import secrets
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import Product
from config.errors import NotFound, ServiceError
from orders import cart, selectors, services
from orders.forms import (
    CartAddForm,
    CartUpdateForm,
    CheckoutForm,
    TrackForm,
)
from stores.selectors import store_get_live

ORDERS_PER_PAGE = 25
PLACED_SESSION_KEY = "orders:placed"


def not_found_as_404(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None

    return wrapper


# --- Storefront: cart, checkout, order placed, tracking ---


@require_http_methods(["GET", "POST"])
def cart_page(request, username):
    store = store_get_live(username=username)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add":
            _cart_add(request, store)
        elif action in ("update", "remove"):
            form = CartUpdateForm(
                {
                    "key": request.POST.get("key"),
                    "quantity": 0 if action == "remove" else request.POST.get("quantity"),
                }
            )
            if form.is_valid():
                cart.cart_set_quantity(request.session, store=store, **form.cleaned_data)
            else:
                messages.error(request, "Quantities are whole numbers from 0 to 999.")
        return redirect("storefront:orders_storefront:cart", username=store.username)
    lines = cart.cart_lines(request.session, store=store)
    subtotal = sum((line.subtotal for line in lines), 0)
    return render(
        request,
        "storefront/cart.html",
        {
            "store": store,
            "lines": lines,
            "subtotal": subtotal,
            "blocked": any(line.problem for line in lines),
        },
    )


def _cart_add(request, store):
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a quantity from 1 to 999.")
        return
    product = Product.objects.live().filter(store=store, pk=form.cleaned_data["product_id"]).first()
    if product is None:
        messages.error(request, "This product is no longer available.")
        return
    selection = {
        key.removeprefix("option-"): value for key, value in request.POST.items() if key.startswith("option-")
    }
    try:
        services.check_variant_selection(product, selection)
    except ServiceError as error:
        messages.error(request, error.message)
        return
    cart.cart_add(
        request.session,
        store=store,
        product_id=product.pk,
        quantity=form.cleaned_data["quantity"],
        variant_selection=selection or None,
    )
    messages.success(request, f"{product.name} is in your cart.")


@require_http_methods(["GET", "POST"])
def checkout_page(request, username):
    store = store_get_live(username=username)
    lines = cart.cart_lines(request.session, store=store)
    if not lines and request.method == "POST":
        # A second click on "Place order" after the first one emptied the cart.
        earlier = selectors.order_for_idempotency_key(
            store=store, key="form:" + request.POST.get("token", "")
        )
        if earlier:
            return redirect(
                "storefront:orders_storefront:placed",
                username=store.username,
                order_number=earlier.order_number,
            )
    if not lines:
        messages.info(request, "Your cart is empty.")
        return redirect("storefront:orders_storefront:cart", username=store.username)
    form = CheckoutForm(request.POST or None, initial={"token": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_place(
                store=store,
                customer={
                    key: data[key] for key in ("name", "phone", "email", "address", "state", "lga", "notes")
                },
                lines=cart.cart_checkout_lines(request.session, store=store),
                coupon_code=data["coupon"],
                idempotency_key="form:" + data["token"],
                delivery_method=data["delivery_method"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            cart.cart_clear(request.session, store=store)
            placed = request.session.get(PLACED_SESSION_KEY, [])
            request.session[PLACED_SESSION_KEY] = [*placed[-19:], order.order_number]
            return redirect(
                "storefront:orders_storefront:placed",
                username=store.username,
                order_number=order.order_number,
            )
    subtotal = sum((line.subtotal for line in lines), 0)
    return render(
        request,
        "storefront/checkout.html",
        {"store": store, "lines": lines, "subtotal": subtotal, "form": form},
    )


@require_GET
@not_found_as_404
def order_placed_page(request, username, order_number):
    store = store_get_live(username=username)
    order = selectors.order_get_by_number(order_number=order_number, store=store)
    mine = order.order_number in request.session.get(PLACED_SESSION_KEY, [])
    return render(
        request, "storefront/checkout_placed.html", {"store": store, "order": order, "show_customer": mine}
    )


@require_http_methods(["GET", "POST"])
@not_found_as_404
def track_page(request, order_number):
    order = selectors.order_get_by_number(order_number=order_number)
    form = TrackForm(request.POST or None)
    show_customer = False
    if request.method == "POST" and form.is_valid():
        show_customer = selectors.order_contact_matches(order, form.cleaned_data["contact"])
        if not show_customer:
            form.add_error("contact", "This is not the phone number or email on the order.")
    return render(
        request,
        "storefront/track.html",
        {"store": order.store, "order": order, "form": form, "show_customer": show_customer},
    )
