from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        # Django imports an app's modules only once every app is loaded, so these come here.
        from orders import cart
        from stores import storefront_cache

        storefront_cache.cart_count_register(cart.cart_count_for_store)
