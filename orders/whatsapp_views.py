"""WhatsApp pages: the shopper's "Order on WhatsApp" (storefront) and the merchant's
"WhatsApp the customer" (dashboard). They translate forms into service calls and links."""

import secrets

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import Product
from config.errors import ServiceError
from orders import cart, selectors, services, whatsapp
from orders.forms import CartAddForm, WhatsAppMessageForm, WhatsAppOrderForm
from stores.selectors import store_get_live, store_whatsapp_order_number

CUSTOMER_FIELDS = ("name", "phone", "email", "address", "state", "lga", "notes")


def _product_line(request, store) -> tuple[dict | None, Product | None]:
    """The one line the product page's form sent: product, quantity and options."""
    form = CartAddForm(request.POST)
    if not form.is_valid():
        return None, None
    product = Product.objects.live().filter(store=store, pk=form.cleaned_data["product_id"]).first()
    if product is None:
        return None, None
    selection = {
        key.removeprefix("option-"): value for key, value in request.POST.items() if key.startswith("option-")
    }
    line = {
        "product_id": product.pk,
        "quantity": form.cleaned_data["quantity"],
        "variant_selection": selection or None,
    }
    return line, product


@require_http_methods(["GET", "POST"])
def whatsapp_order_page(request, username):
    """Step 1 (the product or cart page's button) shows the short details form; step 2 places
    the order and sends the shopper to the store's chat with it prefilled."""
    store = store_get_live(username=username)
    if request.method == "GET" or store_whatsapp_order_number(store=store) is None:
        return redirect(store.get_absolute_url())
    origin = "cart" if request.POST.get("origin") == "cart" else "product"
    if origin == "cart":
        lines = cart.cart_checkout_lines(request.session, store=store)
        summary = cart.cart_lines(request.session, store=store)
        product = None
    else:
        line, product = _product_line(request, store)
        lines = [line] if line else []
        summary = []
    if not lines:
        back = "storefront:orders_storefront:cart" if origin == "cart" else "storefront:home"
        return redirect(back, username=store.username)
    placing = request.POST.get("step") == "place"
    form = WhatsAppOrderForm(
        request.POST if placing else None, initial={"token": secrets.token_urlsafe(24), "origin": origin}
    )
    if placing and form.is_valid():
        data = form.cleaned_data
        try:
            placed = services.order_place_on_whatsapp(
                store=store,
                customer={key: data[key] for key in CUSTOMER_FIELDS},
                lines=lines,
                idempotency_key="whatsapp:" + data["token"],
                delivery_method=data["delivery_method"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if origin == "cart":
                cart.cart_clear(request.session, store=store)
            cart.order_remember_placed(request.session, order_number=placed.order.order_number)
            # 303: the browser follows with a GET, so a reload never resubmits the order
            return HttpResponseRedirect(placed.whatsapp_url, status=303)
    return render(
        request,
        "storefront/whatsapp_order.html",
        {
            "store": store,
            "form": form,
            "origin": origin,
            "product": product,
            "line": lines[0] if product else None,
            "summary": summary,
        },
    )


# --- Merchant dashboard ---


@login_required
@require_GET
def dashboard_order_whatsapp(request, order_id):
    """Choose a message, edit it, open the customer's chat. Choosing reloads the page (no JS)."""
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    templates = whatsapp.customer_messages(order)
    chosen_key = request.GET.get("message") or whatsapp.suggested_message(order)
    chosen = next((message for message in templates if message.key == chosen_key), templates[0])
    form = WhatsAppMessageForm(initial={"text": chosen.text})
    return render(
        request,
        "orders/order_whatsapp.html",
        {"order": order, "templates": templates, "chosen": chosen, "form": form},
    )


@login_required
@require_GET
def dashboard_order_whatsapp_open(request, order_id):
    """The edited message as a wa.me link to the customer's number."""
    order = selectors.order_get_for_owner(user=request.user, order_id=order_id)
    form = WhatsAppMessageForm(request.GET)
    if not form.is_valid():
        return redirect("dashboard:orders_dashboard:whatsapp", order_id=order.pk)
    return HttpResponseRedirect(whatsapp.wa_link(order.customer_phone, form.cleaned_data["text"]))
