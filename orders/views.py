"""HTML pages: the shopper's cart, checkout, order placed and tracking pages, and the
merchant's order dashboard. They translate forms into service calls and nothing more."""

import secrets
from urllib.parse import quote

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import RateLimited, ServiceError
from config.http import client_ip
from config.money import MONEY_MAX, naira
from orders import cart, pod, pricing, recovery_views, selectors, services, tracking
from orders.appointments import appointment_for_order
from orders.booking_pages import appointment_placed_page

# Moved to orders.dashboard_views; re-exported so callers keep importing them from here.
from orders.dashboard_views import (  # noqa: F401
    ORDERS_PER_PAGE,
    dashboard_coupon_delete,
    dashboard_coupon_edit,
    dashboard_coupons,
    dashboard_customers,
    dashboard_delivery,
    dashboard_delivery_rate_delete,
    dashboard_order_cancel,
    dashboard_order_detail,
    dashboard_order_export,
    dashboard_order_export_download,
    dashboard_order_invoice,
    dashboard_order_list,
    dashboard_order_status,
)
from orders.forms import (
    CartAddForm,
    CartUpdateForm,
    CheckoutForm,
    TrackForm,
)
from orders.selectors import payment_open_for_order
from stores.selectors import store_get_live, storefront_product_in_store

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
    too_large = subtotal > MONEY_MAX
    return render(
        request,
        "storefront/cart.html",
        {
            "store": store,
            "lines": lines,
            "subtotal": subtotal,
            "too_large": too_large,
            "money_max": MONEY_MAX,
            "blocked": too_large or any(line.problem for line in lines),
        },
    )


def _cart_add(request, store):
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a quantity from 1 to 999.")
        return
    product = storefront_product_in_store(store=store, product_id=form.cleaned_data["product_id"])
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


CHECKOUT_FIELDS = ("name", "phone", "email", "delivery_method", "address", "state", "lga", "notes", "coupon")


def _checkout_quote(store, lines, chosen) -> selectors.CheckoutQuote:
    """The breakdown for what the shopper has chosen so far (a form's data, or nothing yet)."""
    method = chosen.get("delivery_method") or pricing.DeliveryMethod.DELIVERY
    if method not in (pricing.DeliveryMethod.DELIVERY, pricing.DeliveryMethod.PICKUP):
        method = pricing.DeliveryMethod.DELIVERY
    return selectors.checkout_quote(
        store=store,
        lines=[(line.product.price, line.quantity) for line in lines],
        method=method,
        state=chosen.get("state", "")[:100],
        lga=chosen.get("lga", "")[:100],
        coupon_code=chosen.get("coupon", "")[:40],
        phone=chosen.get("phone", "")[:30],
    )


@require_http_methods(["GET", "POST"])
def checkout_page(request, username):
    """Details, delivery and the full breakdown before the order is placed.

    "Update total" (action=update) shows the breakdown for the choices made, as the htmx
    partial does on every change; "Place order" places it at the total shown.
    """
    store = store_get_live(username=username)
    lines = cart.cart_lines(request.session, store=store)
    if not lines and request.method == "POST":
        # A second click on "Place order" after the first one emptied the cart.
        earlier = selectors.order_for_idempotency_key(
            store=store, key="form:" + request.POST.get("token", "")
        )
        if earlier:
            return _after_checkout(store, earlier)
    if not lines:
        messages.info(request, "Your cart is empty.")
        return redirect("storefront:orders_storefront:cart", username=store.username)
    placing = request.method == "POST" and request.POST.get("action") != "update"
    chosen = request.POST if request.method == "POST" else {}
    state = chosen.get("state", "")
    consent = services.CONSENT_TEXT if selectors.recovery_settings_for(store).abandoned_checkouts else ""
    if placing:
        form = CheckoutForm(request.POST, state=state, recovery_consent=consent)
    else:
        initial = {name: chosen[name] for name in CHECKOUT_FIELDS if chosen.get(name)}
        if consent and chosen.get("recovery_consent"):
            initial["recovery_consent"] = True
        initial["token"] = chosen.get("token") or secrets.token_urlsafe(24)
        form = CheckoutForm(initial=initial, state=state, recovery_consent=consent)
    if request.method == "POST" and consent:
        # Before placing: a checkout that fails (sold out, wrong LGA) is still remembered.
        recovery_views.checkout_capture_from(request, store, request.POST)
    quote = _checkout_quote(store, lines, chosen)
    if placing and form.is_valid():
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
                expected_total=data["shown_total"],
                payment_plan=data.get("payment_plan") or None,
                expected_deposit=data.get("shown_deposit"),
            )
        except services.IdempotencyConflict:
            # This form already placed an order and the cart changed since: a fresh form.
            form = CheckoutForm(
                initial={**data, "token": secrets.token_urlsafe(24)}, state=state, recovery_consent=consent
            )
            messages.info(
                request, "This form was already used for an order. Check your details and submit again."
            )
        except ServiceError as error:
            if error.code == "total_mismatch" and quote.totals is not None:
                form.add_error(
                    None,
                    f"The total is now {naira(quote.totals.total)}: "
                    "check the breakdown and place the order again.",
                )
            else:
                form.add_error(None, error.message)
        else:
            cart.cart_clear(request.session, store=store)
            cart.order_remember_placed(request.session, order_number=order.order_number)
            return _after_checkout(store, order)
    return render(
        request,
        "storefront/checkout.html",
        {
            "store": store,
            "lines": lines,
            "quote": quote,
            **_pod_choice(store, quote, chosen),
            "form": form,
            "capture_url": reverse(
                "storefront:orders_storefront:checkout-save", kwargs={"username": store.username}
            )
            if consent
            else "",
        },
    )


@require_POST
def checkout_quote_partial(request, username):
    """The breakdown as an htmx partial, for the choices in the posted checkout form; with the
    chosen state's LGAs when the state changed since the LGA list was made."""
    store = store_get_live(username=username)
    lines = cart.cart_lines(request.session, store=store)
    state = request.POST.get("state", "")
    form = CheckoutForm(initial={"state": state}, state=state)
    quote = _checkout_quote(store, lines, request.POST)
    return render(
        request,
        "storefront/_checkout_quote.html",
        {
            "store": store,
            "lines": lines,
            "quote": quote,
            **_pod_choice(store, quote, request.POST),
            "form": form,
            # the LGA list on the page was made for another state: send the new state's
            "lga_changed": request.POST.get("lga_for", "") != state,
        },
    )


def _pod_choice(store, quote, chosen) -> dict:
    """Pay on delivery beside the breakdown: the offer for the place chosen and the shopper's pick."""
    offer = pod.checkout_pod_offer(
        store,
        quote,
        state=chosen.get("state", "")[:100],
        lga=chosen.get("lga", "")[:100],
        method=chosen.get("delivery_method") or pricing.DeliveryMethod.DELIVERY,
    )
    return {
        "pod_offer": offer,
        "pay_on_delivery": offer is not None
        and offer.offered
        and chosen.get("payment_plan") == "pay_on_delivery",
    }


def _after_checkout(store, order):
    """To the transfer details while the order awaits payment; otherwise to the order."""
    payment = payment_open_for_order(order=order)
    if payment is not None:
        return redirect(
            "storefront:payments_storefront:pay", username=store.username, reference=payment.payment_reference
        )
    return redirect(
        "storefront:orders_storefront:placed", username=store.username, order_number=order.order_number
    )


@require_GET
def order_placed_page(request, username, order_number):
    store = store_get_live(username=username)
    order = selectors.order_get_by_number(order_number=order_number, store=store)
    mine = cart.order_placed_here(request.session, order_number=order.order_number)
    appointment = appointment_for_order(order)
    if appointment is not None:
        return appointment_placed_page(request, store=store, order=order, appointment=appointment, mine=mine)
    track_url = request.build_absolute_uri(
        reverse("orders:track", kwargs={"order_number": order.order_number})
    )
    share_text = f"My order {order.order_number} from {store.display_name}: {track_url}"
    return render(
        request,
        "storefront/checkout_placed.html",
        {
            "store": store,
            "order": order,
            "show_customer": mine,
            "service_fee": pricing.fee_charged_to_customer(order),
            "payment": payment_open_for_order(order=order),
            **pod.order_plan_context(order),
            "share_whatsapp": f"https://wa.me/?text={quote(share_text)}",
        },
    )


@require_GET
def track_lookup_page(request):
    number = request.GET.get("number", "").strip().upper()[:50]
    if number:
        return redirect("orders:track", order_number=number)
    return render(request, "storefront/track_lookup.html")


@require_http_methods(["GET", "POST"])
def track_page(request, order_number):
    # before the lookup, so unknown numbers count too (RateLimitedPageMiddleware: the 429 page)
    tracking.track_lookup_throttle(ip=client_ip(request))
    order = selectors.order_get_by_number(order_number=order_number)
    form = TrackForm(request.POST or None)
    show_customer = False
    if request.method == "POST" and form.is_valid():
        try:
            show_customer = tracking.track_contact_check(order=order, contact=form.cleaned_data["contact"])
        except RateLimited as error:
            form.add_error("contact", error.message)
        else:
            if not show_customer:
                form.add_error("contact", "This is not the phone number or email on the order.")
    return render(
        request,
        "storefront/track.html",
        {
            "store": order.store,
            "order": order,
            "form": form,
            "show_customer": show_customer,
            "service_fee": pricing.fee_charged_to_customer(order),
            **pod.order_plan_context(order),
        },
    )
