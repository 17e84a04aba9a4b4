from django.contrib.sitemaps import Sitemap

from catalog.models import Product
from stores.models import Store


class StoreSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Store.objects.live().only("username", "updated_at").order_by("username")

    def location(self, store):
        return store.get_absolute_url()

    def lastmod(self, store):
        return store.updated_at


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            Product.objects.live()
            .select_related("store")
            .only("id", "updated_at", "store__username")
            .order_by("store__username", "id")
        )

    def location(self, product):
        return f"{product.store.get_absolute_url()}/p/{product.pk}"

    def lastmod(self, product):
        return product.updated_at


SITEMAPS = {"stores": StoreSitemap, "products": ProductSitemap}
