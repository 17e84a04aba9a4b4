"""Fixtures shared by every app's tests. App-specific ones live in tests/<app>/conftest.py."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tests.factories import ProductFactory, StoreFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    """Tests share one Redis database: each starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def merchant(db):
    return UserFactory()


@pytest.fixture
def other_merchant(db):
    return UserFactory()


@pytest.fixture
def store(merchant):
    return StoreFactory(user=merchant)


@pytest.fixture
def product(store):
    return ProductFactory(store=store)


def bearer_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def merchant_api(merchant):
    return bearer_client(merchant)


@pytest.fixture
def other_merchant_api(other_merchant):
    return bearer_client(other_merchant)
