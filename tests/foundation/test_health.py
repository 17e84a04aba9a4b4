import json

import pytest
from django.db import connection
from django.test import override_settings


def health(client):
    response = client.get("/api/v1/health")
    return response.status_code, json.loads(response.content)


HEALTHY = {"database": "ok", "cache": "ok", "broker": "eager", "monnify": "simulator"}


@pytest.fixture(autouse=True)
def _simulated_monnify(settings):
    settings.MONNIFY_API_KEY = ""
    settings.MONNIFY_SIMULATOR = True


@pytest.mark.django_db
def test_healthy(client):
    assert health(client) == (200, {"success": True, "message": "Healthy", "data": HEALTHY})


@pytest.mark.django_db
def test_redis_unreachable_is_reported_as_degraded_not_down(client):
    broken_cache = {
        "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=broken_cache):
        status, payload = health(client)
    # The site keeps serving without Redis: a load balancer must not take it out.
    assert status == 200
    assert payload["message"] == "Degraded: cache"
    assert payload["data"] == {**HEALTHY, "cache": "down"}


@pytest.mark.django_db
def test_monnify_unreachable_is_reported(client, settings):
    settings.MONNIFY_API_KEY = "MK_TEST_CLOSED"
    settings.MONNIFY_BASE_URL = "http://127.0.0.1:1"
    status, payload = health(client)
    assert (status, payload["message"]) == (200, "Degraded: monnify")
    assert payload["data"] == {**HEALTHY, "monnify": "down"}


@pytest.mark.django_db
def test_broker_unreachable_names_the_broker(client):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            status, payload = health(client)
    finally:
        app.conf.broker_url = previous
    assert status == 200
    assert payload["message"] == "Degraded: broker"
    assert payload["data"]["broker"] == "down"


@pytest.mark.django_db
def test_broker_reachable(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        status, payload = health(client)
    assert (status, payload["data"]["broker"]) == (200, "ok")


@pytest.mark.django_db(transaction=True)
def test_database_unreachable_names_the_database(client):
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        status, payload = health(client)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original_port
    assert status == 503
    assert payload["message"] == "Unhealthy: database"
    assert payload["error"] == {
        "code": "unhealthy",
        "message": "Unhealthy: database",
        "details": {**HEALTHY, "database": "down"},
    }
