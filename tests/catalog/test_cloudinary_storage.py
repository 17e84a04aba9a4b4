"""catalog.storage against a local server that speaks Cloudinary's API, through the real SDK."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from catalog.storage import CloudinaryMediaStorage
from config.errors import ExternalServiceError
from config.images import image_prepare
from tests.catalog.conftest import image_bytes
from tests.fakes.cloudinary import FakeCloudinary


@pytest.fixture
def cloud():
    with FakeCloudinary() as fake:
        yield fake


@pytest.fixture
def storage(cloud):
    return CloudinaryMediaStorage(
        cloud_name=cloud.cloud_name,
        api_key=cloud.api_key,
        api_secret=cloud.api_secret,
        upload_prefix=cloud.url,
    )


def test_save_uploads_under_the_name_and_url_is_the_cdn_https_url(cloud, storage):
    prepared = image_prepare(io.BytesIO(image_bytes("JPEG", size=(50, 40))))

    name = storage.save("products/store-1/0123456789abcdef0123456789abcdef.jpg", ContentFile(prepared.main))

    assert name == "products/store-1/0123456789abcdef0123456789abcdef.jpg"
    asset = cloud.assets["products/store-1/0123456789abcdef0123456789abcdef"]
    assert asset["data"] == prepared.main
    assert Image.open(io.BytesIO(asset["data"])).size == (50, 40)
    assert storage.url(name) == (
        "https://res.cloudinary.com/demo/image/upload/v1/products/store-1/0123456789abcdef0123456789abcdef.jpg"
    )
    # no Admin API round trip to find a free name
    assert [method for method, _path in cloud.requests] == ["POST"]


def test_exists_size_and_delete(cloud, storage):
    name = storage.save("stores/s/aa.webp", ContentFile(image_bytes("WEBP", size=(10, 10))))

    assert name == "stores/s/aa.webp"
    assert storage.exists(name) is True
    assert storage.size(name) == len(cloud.assets["stores/s/aa"]["data"])
    storage.delete(name)
    assert "stores/s/aa" not in cloud.assets
    assert storage.exists(name) is False


def test_a_failing_upload_is_an_external_service_error(cloud, storage):
    cloud.fail_uploads = True
    with pytest.raises(ExternalServiceError) as raised:
        storage.save("products/s/bb.jpg", ContentFile(image_bytes()))
    assert raised.value.http_status == 503
    assert cloud.assets == {}


def test_wrong_credentials_are_refused_by_the_server(cloud):
    storage = CloudinaryMediaStorage(
        cloud_name=cloud.cloud_name, api_key=cloud.api_key, api_secret="wrong", upload_prefix=cloud.url
    )
    with pytest.raises(ExternalServiceError):
        storage.save("products/s/cc.jpg", ContentFile(image_bytes()))
    assert cloud.assets == {}
