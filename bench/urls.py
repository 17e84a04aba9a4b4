"""The app's URLs plus a minimal Django view, the ceiling the storefront is compared with.
Used only by bench/settings.py; the product never serves /bench/minimal."""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal", minimal),
    path("", include("config.urls")),
]
