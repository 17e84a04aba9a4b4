from django.conf import settings
from django.http import HttpRequest

from config.site_url import site_url


def site(request: HttpRequest) -> dict[str, str]:
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": site_url()}
