"""Fixtures shared by every app's tests. App-specific ones live in tests/<app>/conftest.py."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tests.factories import ProductFactory, StoreFactory, UserFactory
from tests.redis_keys import run_keys_delete

pytest_plugins = ["tests.ci_skips"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with none of this run's keys in Redis, and leaves none behind.

    Only this run's keys: another run, the broker and a dev server may share the database.
    """
    run_keys_delete()
    yield
    run_keys_delete()


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


SLOW_TIMEOUT_SECONDS = 300


def pytest_collection_modifyitems(items):
    """`slow` tests start processes or whole flows: they get longer than pyproject's default."""
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT_SECONDS))
