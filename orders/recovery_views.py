"""Recovery pages: the checkout's capture as the shopper types, the "rebuild my cart" and
unsubscribe links in recovery messages, the merchant's recovery page, and payment requests
(an order the merchant places for a shopper, and sending its pay link)."""

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Product
from config.errors import ServiceError
from orders import cart, selectors, services
from orders.forms import CheckoutCaptureForm, PaymentRequestForm, RecoverySettingsForm
from stores.selectors import store_get_live

CHECKOUT_SESSION_PREFIX = "orders:checkout:"
SUMMARY_DAYS = 30


def checkout_capture_token(session, store) -> str | None:
    return session.get(CHECKOUT_SESSION_PREFIX + store.pk)


def checkout_capture_from(request, store, data: dict) -> None:
    """Keep (or withdraw) this browser's checkout for a reminder, as the shopper agreed."""
    form = CheckoutCaptureForm(data)
    if not form.is_valid():
        return
    checkout = services.checkout_capture(
        store=store,
        token=checkout_capture_token(request.session, store),
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        phone=form.cleaned_data["phone"],
        consent=form.cleaned_data["recovery_consent"],
        lines=cart.cart_checkout_lines(request.session, store=store),
    )
    key = CHECKOUT_SESSION_PREFIX + store.pk
    if checkout is None:
        request.session.pop(key, None)
    else:
        request.session[key] = checkout.token


@require_POST
def checkout_capture_page(request, username):
    store = store_get_live(username=username)
    checkout_capture_from(request, store, request.POST)
    return HttpResponse(status=204)


def cart_restore_page(request, username, token):
    """The link in an "items still available" or abandoned-checkout message: the cart again.

    It replaces this store's cart rather than adding to it, so opening the link twice does
    not double the quantities. Items sold out or withdrawn since are left out, and said so.
    """
    store = store_get_live(username=username)
    message = selectors.recovery_restore_message(store=store, token=token)
    wanted = selectors.recovery_message_lines(message)
    available = selectors.restorable_lines(store=store, lines=wanted)
    cart.cart_clear(request.session, store=store)
    for line in available:
        cart.cart_add(
            request.session,
            store=store,
            product_id=line["product_id"],
            quantity=line["quantity"],
            variant_selection=line["variant_selection"],
        )
    if not available:
        messages.info(request, "Sorry, these items are no longer available.")
        return redirect(store.get_absolute_url())
    if len(available) < len(wanted) or any(
        have["quantity"] < want["quantity"] for have, want in zip(available, wanted, strict=False)
    ):
        messages.info(request, "Your cart is back. Some items sold out since, so they are not in it.")
    else:
        messages.success(request, "Your cart is back. Check out when you are ready.")
    return redirect("storefront:orders_storefront:cart", username=store.username)


@require_http_methods(["GET", "POST"])
def recovery_opt_out_page(request, username, token):
    """Unsubscribe without signing in: GET asks (mail scanners follow links), POST does it."""
    store = store_get_live(username=username)
    message, address = selectors.recovery_opt_out_target(token=token)
    if message.store_id != store.pk:
        return render(request, "storefront/404.html", {"store": store}, status=404)
    done = False
    if request.method == "POST":
        services.recovery_opt_out(token=token)
        done = True
    return render(
        request,
        "storefront/recovery_opt_out.html",
        {"store": store, "address": _masked(address), "done": done},
    )


def _masked(address: str) -> str:
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{address[:4]}*****{address[-3:]}"


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_recovery(request):
    stores = list(selectors.owner_stores(user=request.user))
    if not stores:
        return redirect("dashboard:home")
    chosen = next((s for s in stores if s.pk == request.GET.get("store")), stores[0])
    settings = selectors.recovery_settings_for(chosen)
    fields = list(RecoverySettingsForm.base_fields)
    form = RecoverySettingsForm(
        request.POST or None, initial={name: getattr(settings, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recovery_settings_update(store=chosen, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Recovery settings of {chosen.display_name} saved.")
            return redirect(f"{request.path}?store={chosen.pk}")
    until = timezone.now()
    summary = selectors.recovery_summary(
        store_ids=[chosen.pk], since=until - timedelta(days=SUMMARY_DAYS), until=until
    )
    page = Paginator(
        selectors.recovery_messages_for_owner(user=request.user, store_id=chosen.pk), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/recovery.html",
        {
            "stores": stores,
            "chosen": chosen,
            "form": form,
            "summary": summary,
            "summary_days": SUMMARY_DAYS,
            "page": page,
        },
    )


# --- Payment requests: an order placed for a shopper, and its pay link sent ---


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_payment_request(request):
    stores = list(selectors.owner_stores(user=request.user))
    if not stores:
        return redirect("dashboard:home")
    chosen = next(
        (s for s in stores if s.pk == (request.POST.get("store") or request.GET.get("store"))), stores[0]
    )
    products = Product.objects.live().filter(store=chosen).order_by("name")
    form = PaymentRequestForm(
        request.POST or None, products=products, initial={"token": secrets.token_urlsafe(24)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.payment_request_create(
                store=chosen,
                actor=request.user,
                customer={key: data[key] for key in ("name", "phone", "email", "address", "state", "lga")},
                lines=form.lines(),
                delivery_method=data["delivery_method"],
                idempotency_key="dashboard:" + data["token"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Order {order.order_number} is ready: send its pay link below.")
            return redirect("dashboard:orders_dashboard:detail", order_id=order.pk)
    return render(request, "orders/payment_request.html", {"stores": stores, "store": chosen, "form": form})


@login_required
@require_POST
def dashboard_payment_request_send(request, order_id):
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    channel = request.POST.get("channel", "")
    try:
        services.payment_request_send(
            order_id=order.pk,
            channel=channel,
            actor=request.user,
            request_key=request.POST.get("key", "")[:64],
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Pay link sent by {'SMS' if channel == 'sms' else 'email'}.")
    return redirect("dashboard:orders_dashboard:detail", order_id=order.pk)
