"""Media files from the local file system (the embedded default; Cloudinary serves its own)."""

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

# Stored names are random and never reused for other bytes (config/images.py), so a file
# may be cached for a year without a check.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if response.status_code == 200:
        response["Cache-Control"] = MEDIA_CACHE_CONTROL
    return response
