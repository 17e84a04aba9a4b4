"""The merchant's product pages under /dashboard/products/. Server-rendered and usable
without JavaScript; with htmx the list filters in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import csv_format
from catalog.durations import product_duration_set
from catalog.forms import (
    BulkActionForm,
    ImportForm,
    ProductFilterForm,
    ProductForm,
    uploaded_images_problem,
)
from catalog.selectors import (
    product_categories_for_owner,
    product_get_for_owner,
    product_list_for_owner,
    stores_for_owner,
)
from catalog.services import (
    ImportInvalid,
    product_bulk_action,
    product_create,
    product_delete,
    product_duplicate,
    product_import,
    product_update,
)
from catalog.validation import ProductInvalid, clean_product_data, product_values
from config.errors import NotFound, ServiceError
from config.images import ImageInvalid, image_prepare
from stores.models import StoreTemplate

PRODUCTS_PER_PAGE = 25
NAMESPACE = "dashboard:catalog_dashboard"


def _url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


@login_required
@require_GET
def product_list(request):
    stores = stores_for_owner(user=request.user)
    filter_form = ProductFilterForm(
        request.GET, stores=stores, categories=product_categories_for_owner(user=request.user)
    )
    products = product_list_for_owner(user=request.user, **filter_form.filters())
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "page": page,
        "query": query.urlencode(),
        "bulk_form": BulkActionForm(),
    }
    template = "catalog/_product_table.html" if request.htmx else "catalog/product_list.html"
    return render(request, template, context)


def _report_remaining_errors(form, data, product=None) -> None:
    """When the form already failed (an image, the variations text), the merchant still
    sees every other field's problems at once."""
    try:
        clean_product_data(data, current=product_values(product) if product else None)
    except ProductInvalid as invalid:
        form.add_service_errors(invalid)


def _prepared_uploads(request, form):
    files = request.FILES.getlist("images")
    problem = uploaded_images_problem(files)
    if problem:
        form.add_error(None, problem)
        return []
    prepared = []
    for upload in files:
        try:
            prepared.append(image_prepare(upload))
        except ImageInvalid as invalid:
            form.add_error(None, f"{upload.name}: {invalid.message}")
    return prepared


def _save_duration(request, form, product) -> None:
    """A bookings store's service keeps its duration in its own table (catalog.durations);
    the form has checked the value, and another template's product shows no such field."""
    if "duration_minutes" in form.fields and product.store.template_id == StoreTemplate.BOOKINGS:
        product_duration_set(
            user=request.user, product_id=product.pk, minutes=form.cleaned_data["duration_minutes"]
        )


@login_required
@require_http_methods(["GET", "POST"])
def product_create_view(request):
    stores = stores_for_owner(user=request.user)
    if not stores:
        messages.info(request, "Create a store first; your products go into it.")
        return redirect("dashboard:home")
    form = ProductForm(request.POST or None, stores=stores)
    if request.method == "POST" and form.is_valid():
        data = form.product_data()
        uploads = _prepared_uploads(request, form)
        if form.errors:
            _report_remaining_errors(form, data)
        else:
            try:
                product = product_create(
                    user=request.user, store_id=form.cleaned_data["store"], data=data, uploads=uploads
                )
            except ProductInvalid as invalid:
                form.add_service_errors(invalid)
            else:
                _save_duration(request, form, product)
                messages.success(request, f"“{product.name}” was created.")
                return redirect(_url("edit", product.pk))
    status = 400 if form.errors else 200
    return render(request, "catalog/product_form.html", {"form": form, "product": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit_view(request, product_id):
    product = product_get_for_owner(user=request.user, product_id=product_id)
    form = ProductForm(request.POST or None, stores=[], product=product)
    if request.method == "POST" and form.is_valid():
        kept = [url for url in request.POST.getlist("keep_images") if url in (product.images or [])]
        main = request.POST.get("main_image")
        if main in kept:
            kept = [main, *(url for url in kept if url != main)]
        data = form.product_data(kept_images=kept)
        uploads = _prepared_uploads(request, form)
        if form.errors:
            _report_remaining_errors(form, data, product)
        else:
            try:
                product = product_update(user=request.user, product_id=product.pk, data=data, uploads=uploads)
            except ProductInvalid as invalid:
                form.add_service_errors(invalid)
            else:
                _save_duration(request, form, product)
                messages.success(request, f"“{product.name}” was saved.")
                return redirect(_url("edit", product.pk))
    status = 400 if form.errors else 200
    return render(request, "catalog/product_form.html", {"form": form, "product": product}, status=status)


@login_required
@require_POST
def product_duplicate_view(request, product_id):
    copy = product_duplicate(user=request.user, product_id=product_id)
    messages.success(request, "A hidden copy was made. Edit it, then tick Active to publish it.")
    return redirect(_url("edit", copy.pk))


@login_required
@require_http_methods(["GET", "POST"])
def product_delete_view(request, product_id):
    product = product_get_for_owner(user=request.user, product_id=product_id)
    if request.method == "POST":
        product_delete(user=request.user, product_id=product.pk)
        messages.success(request, f"“{product.name}” was deleted.")
        return redirect(_url("list"))
    return render(request, "catalog/product_confirm_delete.html", {"product": product})


@login_required
@require_POST
def product_bulk_view(request):
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an action.")
    else:
        try:
            count = product_bulk_action(
                user=request.user, action=form.cleaned_data["action"], product_ids=form.cleaned_data["ids"]
            )
        except NotFound:
            raise  # the 404 page (config/middleware.py), not a message
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            done = {"activate": "activated", "deactivate": "deactivated", "delete": "deleted"}
            noun = "product" if count == 1 else "products"
            messages.success(request, f"{count} {noun} {done[form.cleaned_data['action']]}.")
    # back to the filtered page the merchant was on
    query = request.POST.get("query", "")
    return redirect(_url("list") + (f"?{query}" if query else ""))


@login_required
@require_GET
def product_export_view(request):
    filter_form = ProductFilterForm(request.GET, stores=[], categories=[])
    products = product_list_for_owner(user=request.user, **filter_form.filters())
    return csv_format.export_response(products)


@login_required
@require_http_methods(["GET", "POST"])
def product_import_view(request):
    stores = stores_for_owner(user=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, stores=stores)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = csv_format.read_rows(form.cleaned_data["file"])
            result = product_import(user=request.user, store_id=form.cleaned_data["store"], rows=rows)
        except NotFound:
            raise  # the 404 page (config/middleware.py), not a form error
        except ImportInvalid as invalid:
            form.add_error(None, invalid.message)
            row_errors = invalid.details["rows"]
        except ServiceError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"Imported: {result['created']} created, {result['updated']} updated.")
            return redirect(_url("list"))
    status = 400 if form.errors else 200
    context = {"form": form, "row_errors": row_errors, "columns": csv_format.COLUMNS, "stores": stores}
    return render(request, "catalog/product_import.html", context, status=status)
