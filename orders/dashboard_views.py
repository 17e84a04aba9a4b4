"""The merchant's order dashboard pages: orders, exports, customers, delivery rates and coupons
(moved out of orders/views.py, which re-exports them). They translate forms into service calls."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ServiceError
from config.keyset import InvalidCursor, bounded_count
from orders import exports, pod, pricing, selectors, services
from orders.forms import (
    CouponForm,
    DeliveryRateForm,
    DeliverySettingsForm,
    OrderFilterForm,
    StatusForm,
)
from orders.models import OrderStatus

ORDERS_PER_PAGE = 25


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
