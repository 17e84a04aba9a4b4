"""HTML pages: the shopper's cart, checkout, order placed and tracking pages, and the
merchant's order dashboard. They translate forms into service calls and nothing more."""

import secrets
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import RateLimited, ServiceError
from config.http import client_ip
from config.keyset import InvalidCursor, bounded_count
from config.money import MONEY_MAX, naira
from orders import cart, exports, pod, pricing, recovery_views, selectors, services, tracking
from orders.appointments import appointment_for_order
from orders.booking_pages import appointment_placed_page
from orders.forms import (
    CartAddForm,
    CartUpdateForm,
    CheckoutForm,
    CouponForm,
    DeliveryRateForm,
    DeliverySettingsForm,
    OrderFilterForm,
    StatusForm,
    TrackForm,
)
from orders.models import OrderStatus
from orders.selectors import payment_open_for_order
from stores.selectors import store_get_live, storefront_product_in_store

ORDERS_PER_PAGE = 25


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


# --- Merchant dashboard ---


def _filters(request, stores):
    form = OrderFilterForm(request.GET or None, stores=stores)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters


@login_required
@require_GET
def dashboard_order_list(request):
    stores = list(selectors.owner_stores(user=request.user))
    form, filters = _filters(request, stores)
    store_ids = [store.pk for store in stores]
    bad_cursor, status = "", 200
    try:
        page = selectors.order_page_for_owner(
            user=request.user,
            filters=filters,
            cursor=request.GET.get("cursor"),
            limit=ORDERS_PER_PAGE,
            store_ids=store_ids,
        )
    except InvalidCursor as error:
        bad_cursor, status = error.message, 400
        page = selectors.order_page_for_owner(
            user=request.user, filters=filters, limit=ORDERS_PER_PAGE, store_ids=store_ids
        )
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    return render(
        request,
        "orders/order_list.html",
        {"form": form, "page": page, "stores": stores, "query": query.urlencode(), "bad_cursor": bad_cursor},
        status=status,
    )


@login_required
@require_GET
def dashboard_order_export(request):
    """Up to ORDERS_EXPORT_INLINE_MAX orders stream straight away; more are built by a task
    and announced in the bell, so no request holds a worker for minutes."""
    stores = list(selectors.owner_stores(user=request.user))
    _form, filters = _filters(request, stores)
    store_ids = sorted(store.pk for store in stores)
    count = bounded_count(
        selectors.order_list_for_owner(user=request.user, filters=filters, store_ids=store_ids)
    )
    if count[0] > settings.ORDERS_EXPORT_INLINE_MAX:
        query = {key: value for key, value in request.GET.items() if key != "cursor"}
        services.order_export_queue(user=request.user, query=query)
        messages.info(
            request,
            f"Your export of {count[0]:,}{'+' if count[1] else ''} orders is being prepared. "
            "We will put the download link in your notifications (the bell) when it is ready.",
        )
        target = reverse("dashboard:orders_dashboard:list")
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)
    response = StreamingHttpResponse(
        exports.csv_chunks(store_ids=store_ids, filters=filters), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response


@login_required
@require_GET
def dashboard_order_export_download(request, token):
    stored = exports.export_open(user_id=str(request.user.pk), token=token)
    if stored is None:
        raise Http404("This export is not available.")
    return FileResponse(
        stored, as_attachment=True, filename="orders.csv", content_type="text/csv; charset=utf-8"
    )


@login_required
@require_GET
def dashboard_order_detail(request, order_id):
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "service_fee": pricing.fee_charged_to_customer(order),
            "payments": order.payments.all(),
            "pay_link": selectors.order_pay_link(order),
            "whatsapp_url": selectors.order_whatsapp_url(order),
            **pod.order_plan_context(order),
            "send_key": secrets.token_urlsafe(12),
            "next_statuses": [
                (status, OrderStatus(status).label) for status in services.allowed_transitions(order.status)
            ],
        },
    )


@login_required
@require_GET
def dashboard_order_invoice(request, order_id):
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    return render(
        request,
        "orders/order_invoice.html",
        {"order": order, "service_fee": pricing.fee_charged_to_customer(order)},
    )


@login_required
@require_POST
def dashboard_order_status(request, order_id):
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid status.")
    else:
        try:
            order = services.order_transition(
                order=order,
                to_status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
                customer_message=form.cleaned_data["customer_message"],
            )
            messages.success(
                request, f"Order {order.order_number} is now {order.get_status_display().lower()}."
            )
        except ServiceError as error:
            messages.error(request, error.message)
    return redirect("dashboard:orders_dashboard:detail", order_id=order.pk)


@login_required
@require_POST
def dashboard_order_cancel(request, order_id):
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    try:
        order = services.order_cancel(
            order=order,
            actor=request.user,
            note=request.POST.get("note", "")[:2000],
            customer_message=request.POST.get("customer_message", "")[:2000],
        )
        messages.success(request, f"Order {order.order_number} is cancelled and its stock returned.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("dashboard:orders_dashboard:detail", order_id=order.pk)


@login_required
@require_GET
def dashboard_customers(request):
    stores = list(selectors.owner_stores(user=request.user))
    store_id = request.GET.get("store") if request.GET.get("store") in {s.pk for s in stores} else None
    search = request.GET.get("q", "")[:100]
    arguments = {"user": request.user, "store_id": store_id, "search": search, "limit": ORDERS_PER_PAGE}
    arguments["store_ids"] = [store.pk for store in stores]
    bad_cursor, status = "", 200
    try:
        page = selectors.customer_page_for_owner(**arguments, cursor=request.GET.get("cursor"))
    except InvalidCursor as error:
        bad_cursor, status = error.message, 400
        page = selectors.customer_page_for_owner(**arguments)
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "orders/customer_list.html",
        {
            "page": page,
            "stores": stores,
            "store_id": store_id,
            "search": search,
            "query": query.urlencode(),
            "bad_cursor": bad_cursor,
        },
        status=status,
    )


def _chosen_store(request, stores):
    wanted = request.GET.get("store") or request.POST.get("store")
    for store in stores:
        if store.pk == wanted:
            return store
    if wanted:
        raise Http404("No such store.")
    return stores[0] if stores else None


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_delivery(request):
    stores = list(selectors.owner_stores(user=request.user))
    store = _chosen_store(request, stores)
    if store is None:
        return render(request, "orders/delivery.html", {"stores": stores, "store": None})
    current = selectors.delivery_settings_for(store=store)
    settings_form = DeliverySettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={
            "default_fee": current.default_fee,
            "free_pickup": current.free_pickup,
            "free_delivery_threshold": current.free_delivery_threshold,
        },
    )
    rate_form = DeliveryRateForm(request.POST if request.POST.get("form") == "rate" else None)
    target = f"{request.path}?store={store.pk}"
    try:
        if settings_form.is_bound and settings_form.is_valid():
            services.delivery_settings_update(store=store, **settings_form.cleaned_data)
            messages.success(request, "Delivery settings saved.")
            return redirect(target)
        if rate_form.is_bound and rate_form.is_valid():
            services.delivery_rate_set(store=store, **rate_form.cleaned_data)
            messages.success(request, "Delivery rate saved.")
            return redirect(target)
    except ServiceError as error:
        messages.error(request, error.message)
    return render(
        request,
        "orders/delivery.html",
        {
            "stores": stores,
            "store": store,
            "settings_form": settings_form,
            "rate_form": rate_form,
            "rates": selectors.delivery_rates_for_owner(user=request.user, store_id=store.pk),
        },
    )


@login_required
@require_POST
def dashboard_delivery_rate_delete(request, rate_id):
    rate = selectors.delivery_rate_get_for_owner(user=request.user, rate_id=rate_id)
    store_id = rate.store_id
    services.delivery_rate_delete(rate=rate)
    messages.success(request, "Delivery rate deleted.")
    return redirect(reverse("dashboard:orders_dashboard:delivery") + f"?store={store_id}")


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_coupons(request):
    stores = list(selectors.owner_stores(user=request.user))
    store = _chosen_store(request, stores)
    form = CouponForm(request.POST or None)
    if store is not None and request.method == "POST" and form.is_valid():
        try:
            services.coupon_save(store=store, data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Coupon created.")
            return redirect(f"{request.path}?store={store.pk}")
    coupons = selectors.coupons_for_owner(user=request.user, store_id=store.pk) if store else []
    return render(
        request, "orders/coupons.html", {"stores": stores, "store": store, "form": form, "coupons": coupons}
    )


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_coupon_edit(request, coupon_id):
    coupon = selectors.coupon_get_for_owner(user=request.user, coupon_id=coupon_id)
    form = CouponForm(request.POST or None, instance=coupon)
    if request.method == "POST" and form.is_valid():
        try:
            services.coupon_save(store=coupon.store, data=form.cleaned_data, coupon=coupon)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Coupon saved.")
            return redirect(reverse("dashboard:orders_dashboard:coupons") + f"?store={coupon.store_id}")
    return render(request, "orders/coupon_edit.html", {"coupon": coupon, "form": form})


@login_required
@require_POST
def dashboard_coupon_delete(request, coupon_id):
    coupon = selectors.coupon_get_for_owner(user=request.user, coupon_id=coupon_id)
    store_id = coupon.store_id
    services.coupon_delete(coupon=coupon)
    messages.success(request, "Coupon removed.")
    return redirect(reverse("dashboard:orders_dashboard:coupons") + f"?store={store_id}")
