import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x9Qa7Lm2Zp" * 6


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**overrides):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "shops.example.com",
        "DATABASE_URL": "mysql://agm:secret@127.0.0.1:3306/agm_store_builder",
        "MONNIFY_API_KEY": "MK_TEST_KEY",
        "MONNIFY_SECRET_KEY": "monnify-secret",
        "MONNIFY_CONTRACT_CODE": "1234567890",
        **overrides,
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "Configuration error: DJANGO_SECRET_KEY is not set"),
        (
            {"DJANGO_SECRET_KEY": "short"},
            "Configuration error: DJANGO_SECRET_KEY must be a random value of at least 50 characters",
        ),
        ({"DATABASE_URL": ""}, "Configuration error: DATABASE_URL (or DB_NAME) is not set"),
        (
            {"DATABASE_URL": "sqlite:///x.db"},
            "Configuration error: DATABASE_URL must point at MySQL or MariaDB in production",
        ),
        (
            {"ACCESS_TOKEN_EXPIRE_MINUTES": "soon"},
            "Configuration error: ACCESS_TOKEN_EXPIRE_MINUTES is malformed: invalid literal for int() with base 10: 'soon'",
        ),
        (
            {"CORS_ORIGINS": "[1, 2]"},
            "Configuration error: CORS_ORIGINS is malformed: expected a JSON array of strings",
        ),
        ({"MONNIFY_API_KEY": ""}, "Configuration error: MONNIFY_API_KEY is not set"),
        ({"MONNIFY_SECRET_KEY": ""}, "Configuration error: MONNIFY_SECRET_KEY is not set"),
        ({"MONNIFY_CONTRACT_CODE": ""}, "Configuration error: MONNIFY_CONTRACT_CODE is not set"),
    ],
)
def test_a_missing_or_malformed_variable_is_one_line_naming_it(overrides, message):
    environment = production_env(**overrides)
    environment = {key: value for key, value in environment.items() if value != ""}
    result = manage("check", **environment)
    assert result.returncode == 2
    assert result.stderr == message + "\n"


@pytest.mark.slow
def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_seed_variable_names_configure_the_database():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['USER'], d['NAME'])",
        **{
            **production_env(DATABASE_URL=""),
            "DATABASE_URL": "",
            "DB_HOST": "db.internal",
            "DB_PORT": "3307",
            "DB_USER": "agm",
            "DB_PASSWORD": "pw",
            "DB_NAME": "agm_store_builder",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "config.mysql db.internal 3307 agm agm_store_builder"


@pytest.mark.slow
def test_production_never_uses_the_monnify_simulator():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; from payments.monnify import simulator_enabled;"
        "print(settings.MONNIFY_SIMULATOR, simulator_enabled())",
        **production_env(MONNIFY_SIMULATOR="true"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


@pytest.mark.slow
@pytest.mark.parametrize(
    "environment",
    [
        production_env(),
        # `make run` with a worker (README, "Background work") and `make web`
        {"DJANGO_SETTINGS_MODULE": "config.settings.local", "USE_REDIS": "true"},
    ],
    ids=["production", "local with Redis"],
)
def test_every_redis_cache_degrades_instead_of_failing(environment):
    # issue 12, finding 1: Django's own RedisCache answers 500 on every page while Redis is down
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "config.cache.ResilientRedisCache"
