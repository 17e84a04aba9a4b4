"""Sessions any web process can read, which outlive a Redis outage; no replica, no routing."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connections
from django.test import override_settings
from django.urls import reverse

from config.replica import PIN_COOKIE, REPLICA
from config.sessions import SessionStore
from config.settings import base as base_settings
from tests.factories import OrderFactory, StoreFactory, UserFactory

REDIS_DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_every_environment_keeps_sessions_in_the_database_unless_told_otherwise():
    assert base_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_a_signed_in_merchant_stays_signed_in_while_redis_is_down(client, settings):
    settings.SESSION_ENGINE = "config.sessions"
    merchant = UserFactory(full_name="Bola Merchant")
    client.force_login(merchant)
    key = client.session.session_key
    assert cache.get(f"django.contrib.sessions.cached_db{key}")["_auth_user_id"] == str(merchant.pk)
    assert Session.objects.filter(session_key=key).exists()

    with override_settings(CACHES=REDIS_DOWN):
        assert SessionStore(key).load()["_auth_user_id"] == str(merchant.pk)
        response = client.get(reverse("dashboard:orders_dashboard:list"))
        assert SessionStore().exists(key) is True
        logged_out = client.post(reverse("accounts:logout"))

    assert response.status_code == 200
    assert "Bola Merchant" in response.content.decode()
    assert logged_out.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_without_a_replica_writes_set_no_pin_and_there_is_no_replica(client):
    merchant = UserFactory()
    order = OrderFactory(store=StoreFactory(user=merchant))
    client.force_login(merchant)
    response = client.post(
        reverse("dashboard:orders_dashboard:status", args=[order.pk]), {"status": "confirmed", "note": ""}
    )
    assert response.status_code == 302
    assert PIN_COOKIE not in response.cookies
    assert REPLICA not in connections
