"""Static files as production serves them, in `make run` too.

`make run` is DEBUG, and Django's manifest storage links the plain names under DEBUG
(`storefront.css`, not `storefront.<hash>.css`): WhiteNoise then can only cache them for
STATIC_MAX_AGE, and a measurement of the demo would not be a measurement of production. This
storage links the hashed names whatever DEBUG says; it needs `collectstatic` (which `make run`
runs) like the storage it extends.
"""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name: Any, force: bool = False) -> str:
        url: str = super().url(name, force=True)
        return url
