import json

import pytest
from django.db import connection
from django.test import override_settings


def health(client):
    response = client.get("/api/v1/health")
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthy(client):
    assert health(client) == (
        200,
        {"success": True, "message": "Healthy", "data": {"database": "ok", "cache": "ok", "broker": "eager"}},
    )


@pytest.mark.django_db
def test_redis_unreachable_names_the_cache(client):
    broken_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken_cache):
        status, payload = health(client)
    assert status == 503
    assert payload["message"] == "Unhealthy: cache"
    assert payload["error"]["details"] == {"database": "ok", "cache": "down", "broker": "eager"}


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
    assert status == 503
    assert payload["message"] == "Unhealthy: broker"
    assert payload["error"]["details"]["broker"] == "down"


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
        "details": {"database": "down", "cache": "ok", "broker": "eager"},
    }
