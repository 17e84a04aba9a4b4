from django.urls import path

from catalog.api import views

urlpatterns = [
    path("products", views.ProductListCreateApi.as_view(), name="product-list"),
    path("products/my-products", views.MyProductsApi.as_view(), name="product-my-products"),
    path("products/bulk", views.ProductBulkApi.as_view(), name="product-bulk"),
    path("products/export", views.ProductExportApi.as_view(), name="product-export"),
    path("products/import", views.ProductImportApi.as_view(), name="product-import"),
    path("products/<str:product_id>", views.ProductDetailApi.as_view(), name="product-detail"),
    path("upload/image", views.ImageUploadApi.as_view(), name="upload-image"),
]
