"""Media on Cloudinary through Django's Storage API (production's STORAGES["default"]).

django-storages has no Cloudinary backend and the `cloudinary` SDK implements no Django
storage, so this class maps the few Storage calls we use onto the SDK (see
reference/integrations.md §6). A stored name is the Cloudinary public id plus the format,
e.g. `products/<store id>/<hex>.jpg`; its URL is the CDN's HTTPS URL for that name.

Credentials come from CLOUDINARY_URL (read by the SDK itself) or from
CLOUDINARY_CLOUD_NAME / CLOUDINARY_API_KEY / CLOUDINARY_API_SECRET; OPTIONS in STORAGES
may override them (and `upload_prefix`, the API host, which the tests point at a local
fake).
"""

import posixpath

import cloudinary
import cloudinary.api
import cloudinary.uploader
import requests
from cloudinary.exceptions import Error as CloudinaryError
from cloudinary.exceptions import NotFound as CloudinaryNotFound
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

from config.errors import ExternalServiceError

TIMEOUT_SECONDS = 30


@deconstructible
class CloudinaryMediaStorage(Storage):
    def __init__(self, cloud_name=None, api_key=None, api_secret=None, upload_prefix=None, timeout=None):
        credentials = {
            "cloud_name": cloud_name or settings.CLOUDINARY_CLOUD_NAME,
            "api_key": api_key or settings.CLOUDINARY_API_KEY,
            "api_secret": api_secret or settings.CLOUDINARY_API_SECRET,
            "upload_prefix": upload_prefix,
        }
        # what is not given here is left to the SDK's own configuration (CLOUDINARY_URL)
        self.options = {key: value for key, value in credentials.items() if value}
        self.timeout = timeout or TIMEOUT_SECONDS

    @staticmethod
    def _public_id(name: str) -> str:
        return posixpath.splitext(name)[0]

    def _save(self, name, content):
        content.seek(0)
        try:
            result = cloudinary.uploader.upload(
                (posixpath.basename(name), content.read()),
                public_id=self._public_id(name),
                resource_type="image",
                overwrite=False,
                unique_filename=False,
                use_filename=False,
                timeout=self.timeout,
                **self.options,
            )
        except CloudinaryError as error:
            raise ExternalServiceError("Image storage is unavailable; please try again.") from error
        return f"{result['public_id']}.{result['format']}"

    def get_available_name(self, name, max_length=None):
        # names carry a random uuid and uploads never overwrite, so asking the Admin API
        # (rate-limited) whether a name is taken would only cost a round trip
        return name

    def url(self, name):
        options = {"cloud_name": self.options["cloud_name"]} if "cloud_name" in self.options else {}
        return cloudinary.CloudinaryImage(name).build_url(secure=True, **options)

    def _resource(self, name) -> dict | None:
        try:
            return cloudinary.api.resource(self._public_id(name), timeout=self.timeout, **self.options)
        except CloudinaryNotFound:
            return None
        except CloudinaryError as error:
            raise ExternalServiceError("Image storage is unavailable; please try again.") from error

    def exists(self, name):
        return self._resource(name) is not None

    def size(self, name):
        resource = self._resource(name)
        if resource is None:
            raise FileNotFoundError(name)
        return resource["bytes"]

    def delete(self, name):
        try:
            cloudinary.uploader.destroy(
                self._public_id(name), invalidate=True, timeout=self.timeout, **self.options
            )
        except CloudinaryError as error:
            raise ExternalServiceError("Image storage is unavailable; please try again.") from error

    def _open(self, name, mode="rb"):
        response = requests.get(self.url(name), timeout=self.timeout)
        if response.status_code == 404:
            raise FileNotFoundError(name)
        response.raise_for_status()
        return ContentFile(response.content, name=name)
