"""The URL scheme. Platform paths come first; every other first segment is a store username
(stores/usernames.py keeps the reserved words in step with this file)."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config.media import serve_media
from config.views import metrics, robots_txt
from stores.platform_views import platform_home
from stores.sitemaps import SITEMAPS

admin.site.site_header = "AGM Store Builder administration"
admin.site.site_title = "AGM Store Builder"
admin.site.index_title = "Platform"

# Swagger UI and ReDoc style themselves inline (ReDoc also loads Google's fonts and runs a
# blob: worker); their pages alone get that on top of the site's policy (settings, CSP). Swagger
# UI's start-up script is served as a file by the split view, so no inline script is needed.
docs_csp = csp_update(
    {
        "style-src": [UNSAFE_INLINE, "https://fonts.googleapis.com"],
        "font-src": ["https://fonts.gstatic.com"],
        "worker-src": [SELF, "blob:"],
    }
)

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("", platform_home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"),
    path("redoc", docs_csp(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
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
