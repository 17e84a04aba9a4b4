from django.contrib.sitemaps import Sitemap

from stores.models import Store


class StoreSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Store.objects.live().only("username", "updated_at").order_by("username")

    def location(self, store):
        return store.get_absolute_url()

    def lastmod(self, store):
        return store.updated_at


SITEMAPS = {"stores": StoreSitemap}
