"""Dashboard pages of the catalog app, under /dashboard/products/ (see stores/dashboard_urls.py)."""

from django.urls import path

from catalog import views

app_name = "catalog_dashboard"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create_view, name="create"),
    path("bulk/", views.product_bulk_view, name="bulk"),
    path("export/", views.product_export_view, name="export"),
    path("import/", views.product_import_view, name="import"),
    path("<str:product_id>/", views.product_edit_view, name="edit"),
    path("<str:product_id>/duplicate/", views.product_duplicate_view, name="duplicate"),
    path("<str:product_id>/delete/", views.product_delete_view, name="delete"),
]
