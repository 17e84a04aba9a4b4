"""The URL scheme. Platform paths come first; every other first segment is a store username
(stores/usernames.py keeps the reserved words in step with this file)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.media import serve_media
from config.views import metrics, robots_txt
from stores.platform_views import platform_home
from stores.sitemaps import SITEMAPS

admin.site.site_header = "AGM Store Builder administration"
admin.site.site_title = "AGM Store Builder"
admin.site.index_title = "Platform"

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("", platform_home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("auth/", include("accounts.urls")),
    path("dashboard/", include("stores.dashboard_urls")),
    path("track/", include("orders.urls")),
    path("simulator/", include("payments.simulator_urls")),
    path("verify/", include("payments.verify_urls")),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("metrics", metrics, name="metrics"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

if settings.DEBUG or settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Media from the local file system (the embedded default); Cloudinary serves its own.
    urlpatterns += [path("media/<path:path>", serve_media)]

urlpatterns += [path("", include("stores.storefront_urls"))]
