"""Dashboard pages of the bookings and portfolio themes: a store's opening hours, its
testimonials, and the enquiry inbox (/dashboard/enquiries/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import NotFound, ServiceError
from stores.models import EnquiryReply, StoreTemplate
from stores.opening_hours import OpeningHoursInvalid, booking_address, opening_hours_set, opening_hours_week
from stores.portfolio import (
    MAX_TESTIMONIALS,
    TestimonialInvalid,
    enquiries_for_owner,
    enquiry_get_owned,
    enquiry_mark,
    enquiry_reply_links,
    enquiry_unread_count,
    testimonial_create,
    testimonial_delete,
    testimonials_for_store,
)
from stores.selectors import store_get_owned, store_list_for_owner
from stores.theme_forms import EnquiryFilterForm, OpeningHoursForm, TestimonialForm

ENQUIRIES_PER_PAGE = 20


class ReplyRedirect(HttpResponseRedirect):
    """A redirect to the merchant's mail app or to WhatsApp."""

    allowed_schemes = ["https", "mailto"]


def _owned_store_with_template(request, store_id, template_id):
    store = store_get_owned(user=request.user, store_id=store_id)
    if store.template_id != template_id:
        raise Http404(f"This page is for {template_id} stores")
    return store


@login_required
@require_http_methods(["GET", "POST"])
def opening_hours_page(request, store_id):
    store = _owned_store_with_template(request, store_id, StoreTemplate.BOOKINGS)
    week = opening_hours_week(store=store)
    form = OpeningHoursForm(
        request.POST or None, week=week, initial={"address": booking_address(store=store)}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                opening_hours_set(store=store, days=form.days(), address=form.cleaned_data["address"])
            except OpeningHoursInvalid as error:
                for key, message in error.details.items():
                    form.add_error(f"{key}_opens" if key.startswith("day") else key, message)
            else:
                messages.success(request, "Opening hours saved. Shoppers now see the new free times.")
                return redirect("dashboard:store-hours", store_id=store.pk)
        status = 400
    return render(request, "stores/opening_hours.html", {"store": store, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def testimonials_page(request, store_id):
    store = _owned_store_with_template(request, store_id, StoreTemplate.PORTFOLIO)
    form = TestimonialForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                testimonial_create(user=request.user, store=store, **form.cleaned_data)
            except TestimonialInvalid as error:
                for key, message in error.details.items():
                    form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(request, "Testimonial added to your store's home page.")
                return redirect("dashboard:store-testimonials", store_id=store.pk)
        status = 400
    context = {
        "store": store,
        "form": form,
        "testimonials": testimonials_for_store(store=store),
        "max_testimonials": MAX_TESTIMONIALS,
    }
    return render(request, "stores/testimonials.html", context, status=status)


@login_required
@require_POST
def testimonial_delete_view(request, store_id, testimonial_id):
    store = store_get_owned(user=request.user, store_id=store_id)
    try:
        testimonial_delete(user=request.user, testimonial_id=testimonial_id)
    except NotFound:
        raise Http404("No such testimonial") from None
    messages.success(request, "Testimonial deleted.")
    return redirect("dashboard:store-testimonials", store_id=store.pk)


@login_required
@require_GET
def enquiry_list(request):
    stores = list(store_list_for_owner(user=request.user))
    filters = EnquiryFilterForm(request.GET, stores=stores)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    enquiries = enquiries_for_owner(
        user=request.user, store_id=chosen.get("store") or None, show=chosen.get("show") or ""
    )
    page = Paginator(enquiries, ENQUIRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(enquiry, enquiry_reply_links(enquiry)) for enquiry in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "unread": enquiry_unread_count(user=request.user),
        "portfolio_stores": [store for store in stores if store.template_id == StoreTemplate.PORTFOLIO],
    }
    return render(request, "stores/enquiries.html", context)


@login_required
@require_POST
def enquiry_mark_view(request, enquiry_id):
    """Read, unread, or replied by email/WhatsApp; "reply" goes on to the mail app or
    WhatsApp with the prefilled text, so one tap both answers and marks it."""
    action = request.POST.get("action", "")
    try:
        if action in ("read", "unread"):
            enquiry_mark(user=request.user, enquiry_id=enquiry_id, read=action == "read")
        elif action in EnquiryReply.values:
            enquiry = enquiry_get_owned(user=request.user, enquiry_id=enquiry_id)
            link = getattr(enquiry_reply_links(enquiry), action)
            if not link:
                messages.error(
                    request,
                    f"{enquiry.name} left no {'email address' if action == 'email' else 'phone number'}.",
                )
                return redirect("dashboard:enquiries")
            enquiry_mark(user=request.user, enquiry_id=enquiry.pk, replied_via=action)
            return ReplyRedirect(link)
        else:
            return HttpResponseBadRequest("Choose read, unread, email or whatsapp.")
    except NotFound:
        raise Http404("No such enquiry") from None
    except ServiceError as error:
        messages.error(request, error.message)
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/dashboard/enquiries/") else "dashboard:enquiries")
