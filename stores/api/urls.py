"""Store endpoints under /api/v1/. A hyphenated UUID is a store id (a username has at most
30 characters, so it can never be one); any other segment is a username."""

from django.urls import path, re_path

from stores.api import share, views

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

urlpatterns = [
    path("stores", views.StoreListCreateView.as_view(), name="stores"),
    path("stores/my-stores", views.MyStoresView.as_view(), name="my-stores"),
    path("stores/check/<str:username>", views.UsernameCheckView.as_view(), name="store-username-check"),
    re_path(rf"^stores/(?P<store_id>{UUID})$", views.OwnedStoreView.as_view(), name="store"),
    re_path(rf"^stores/(?P<store_id>{UUID})/share$", share.StoreShareView.as_view(), name="store-share"),
    re_path(
        rf"^stores/(?P<store_id>{UUID})/share/products$",
        share.ProductShareListView.as_view(),
        name="store-share-products",
    ),
    path("stores/<slug:username>", views.PublicStoreView.as_view(), name="public-store"),
    path(
        "stores/<slug:username>/products", views.PublicProductListView.as_view(), name="public-store-products"
    ),
    path(
        "stores/<slug:username>/products/<str:product_id>",
        views.PublicProductView.as_view(),
        name="public-store-product",
    ),
]
