"""Receipts for shoppers (/<username>/orders/<number>/receipt, .pdf) and the public
verification page (/verify/<code>). They translate requests; what a receipt says is in
payments/receipts.py, the PDF in payments/receipt_pdf.py."""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import RateLimited, ServiceError
from config.money import naira
from config.qr_codes import qr_svg
from orders import cart, tracking
from orders.forms import TrackForm
from orders.selectors import order_get_by_number
from payments import services
from payments.receipt_pdf import receipt_pdf
from payments.receipts import receipt_payment, receipt_view, verification_get
from stores.selectors import store_get_live

GRANTED_SESSION_KEY = "payments:receipts"
GRANTS_REMEMBERED = 20


def _order(username, order_number):
    """The paid order or NotFound (the 404 page): unpaid orders have no receipt."""
    order = order_get_by_number(order_number=order_number, store=store_get_live(username=username))
    receipt_payment(order)
    return order


def _granted(request, order) -> bool:
    """As tracking: the shopper who placed it here, who gave its phone or email, or the merchant."""
    return (
        cart.order_placed_here(request.session, order_number=order.order_number)
        or order.order_number in request.session.get(GRANTED_SESSION_KEY, [])
        or (request.user.is_authenticated and request.user.pk == order.store.user_id)
    )


def _grant(request, order) -> None:
    granted = request.session.get(GRANTED_SESSION_KEY, [])
    request.session[GRANTED_SESSION_KEY] = [*granted[-(GRANTS_REMEMBERED - 1) :], order.order_number]


def _inline_svg(data: str) -> str:
    svg = qr_svg(data).decode()
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 - our own qrcode output, no user markup


def _share_text(view) -> str:
    paid = timezone.localtime(view.payment.paid_at).strftime("%-d %b %Y")
    return (
        f"Receipt for order {view.order.order_number} from {view.store.display_name}: "
        f"{naira(view.payment.amount)} paid by {view.method.lower()} on {paid}. Check it: {view.verify_url}"
    )


@require_http_methods(["GET", "POST"])
def receipt_page(request, username, order_number):
    order = _order(username, order_number)
    form = TrackForm(request.POST if request.POST.get("action") == "check" else None)
    if form.is_bound and form.is_valid():
        try:
            if tracking.track_contact_check(order=order, contact=form.cleaned_data["contact"]):
                _grant(request, order)
                return redirect(request.path)
            form.add_error("contact", "This is not the phone number or email on the order.")
        except RateLimited as error:
            form.add_error("contact", error.message)
    if not _granted(request, order):
        return render(
            request, "storefront/receipt_check.html", {"store": order.store, "order": order, "form": form}
        )
    if request.method == "POST" and request.POST.get("action") == "email":
        try:
            services.receipt_email(order=order)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"We are emailing the receipt to {order.customer_email}.")
        return redirect(request.path)
    view = receipt_view(order=order, receipt=services.receipt_issue(order=order))
    return render(
        request,
        "storefront/receipt.html",
        {
            "store": order.store,
            "receipt": view,
            "qr": _inline_svg(view.verify_url),
            "whatsapp_url": f"https://wa.me/?text={quote(_share_text(view), safe='')}",
        },
    )


@require_GET
def receipt_pdf_download(request, username, order_number):
    order = _order(username, order_number)
    if not _granted(request, order):
        return redirect(
            "storefront:payments_storefront:receipt", username=username, order_number=order_number
        )
    view = receipt_view(order=order, receipt=services.receipt_issue(order=order))
    response = HttpResponse(receipt_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{order.order_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def verify_page(request, code):
    """Public: anyone with the receipt's QR code. No personal data, an honest answer."""
    try:
        verification = verification_get(code=code)
    except ServiceError:
        return render(request, "storefront/verify.html", {"verification": None}, status=404)
    return render(request, "storefront/verify.html", {"verification": verification})
