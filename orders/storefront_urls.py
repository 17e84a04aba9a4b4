"""Storefront pages of the orders app, under /<username>/ (see stores/storefront_urls.py)."""

from django.urls import path

from orders import booking_pages, recovery_views, views, whatsapp_views

app_name = "orders_storefront"

urlpatterns = [
    path("cart", views.cart_page, name="cart"),
    path("checkout", views.checkout_page, name="checkout"),
    path("checkout/quote", views.checkout_quote_partial, name="checkout-quote"),
    path("whatsapp", whatsapp_views.whatsapp_order_page, name="whatsapp-order"),
    path("checkout/save", recovery_views.checkout_capture_page, name="checkout-save"),
    path("cart/restore/<str:token>", recovery_views.cart_restore_page, name="cart-restore"),
    path("unsubscribe/<str:token>", recovery_views.recovery_opt_out_page, name="recovery-opt-out"),
    path("orders/<str:order_number>", views.order_placed_page, name="placed"),
    path("book", booking_pages.book_page, name="book"),
]
