import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image


def image_bytes(fmt="JPEG", size=(800, 600), color=(200, 30, 30), mode="RGB", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


@pytest.fixture
def jpeg_bytes():
    return image_bytes()


@pytest.fixture
def stored_names():
    """Every file stored under a folder (test settings use InMemoryStorage, which lives as long
    as the process: tests look only under their own store's folder)."""

    def names(folder=""):
        found = []

        def walk(path):
            directories, files = default_storage.listdir(path)
            found.extend(f"{path}/{name}".lstrip("/") for name in files)
            for directory in directories:
                walk(f"{path}/{directory}".lstrip("/"))

        if not folder or default_storage.exists(folder):
            walk(folder)
        return sorted(found)

    return names
