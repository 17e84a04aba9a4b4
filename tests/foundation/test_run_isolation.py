"""Each pytest run has its own test database and Redis key prefixes, and cleans only its own keys."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from config.celery import app as celery_app
from tests.redis_keys import redis_client, run_keys, run_keys_delete

RUN_ID = os.environ["AGM_TEST_RUN_ID"]


@pytest.mark.django_db
def test_the_test_database_is_named_after_the_run():
    expected = os.environ.get("TEST_DATABASE_NAME") or f"test_agm_{RUN_ID}"
    assert connection.settings_dict["NAME"] == expected


def test_cache_and_celery_keys_carry_the_run_prefix():
    assert RUN_ID in settings.CACHE_KEY_PREFIX
    assert settings.CELERY_KEY_PREFIX.startswith(settings.CACHE_KEY_PREFIX)
    for options in (
        celery_app.conf.broker_transport_options,
        celery_app.conf.result_backend_transport_options,
    ):
        assert options["global_keyprefix"] == settings.CELERY_KEY_PREFIX
    cache.set("isolation-probe", 1)
    assert run_keys() == [f"{settings.CACHE_KEY_PREFIX}:1:isolation-probe".encode()]


def test_cleaning_deletes_this_runs_keys_and_nothing_else():
    client = redis_client()
    prefix = settings.CACHE_KEY_PREFIX
    # Keys that begin like ours but are outside this run's patterns: cleaning must keep them.
    # (They still start with the run's prefix, so this test never touches another run's keys.)
    lookalikes = [f"{prefix}x:1:throttle", f"{prefix}-celery", f"{prefix}_celery:queue", f"{prefix}*:1:a"]
    try:
        for key in lookalikes:
            client.set(key, "keep", ex=60)
        cache.set("mine", 1)
        client.set(f"{settings.CELERY_KEY_PREFIX}celery-task-meta-1", "x", ex=60)
        assert run_keys_delete() == 2
        assert run_keys() == []
        assert [client.get(key) for key in lookalikes] == [b"keep"] * len(lookalikes)
    finally:
        client.delete(*lookalikes)


@pytest.mark.slow
def test_a_process_started_by_a_test_inherits_the_run():
    """The worker and servers tests start read the same settings: same prefixes, same run."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHE_KEY_PREFIX, settings.CELERY_KEY_PREFIX, "
        "settings.DATABASES['default']['TEST']['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == [
        settings.CACHE_KEY_PREFIX,
        settings.CELERY_KEY_PREFIX,
        settings.DATABASES["default"]["TEST"]["NAME"],
    ]
