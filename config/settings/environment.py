"""Reading the environment with errors that name the variable.

django-environ raises ImproperlyConfigured with a traceback; the entry points
(manage.py, wsgi, asgi, celery) turn ConfigurationError into a one-line message.
"""

import json
import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


class ConfigurationError(ImproperlyConfigured):
    pass


def read(name: str, cast: Any = str, default: Any = environ.Env.NOTSET) -> Any:
    """One environment variable, cast; a missing or malformed value names the variable.

    An empty value counts as unset, so a `.env` copied from `.env.example` (which lists every
    variable, most of them blank) keeps each setting's default.
    """
    if os.environ.get(name) == "":
        del os.environ[name]
    try:
        if cast is bool:
            return env.bool(name, default=default)
        if cast is int:
            return env.int(name, default=default)
        if cast is list:
            return _list(name, default)
        if cast == "decimal":
            from decimal import Decimal, InvalidOperation

            raw = env.str(name, default=default)
            try:
                return Decimal(str(raw))
            except InvalidOperation:
                raise ValueError(f"not a number: {raw!r}") from None
        return env.str(name, default=default)
    except ImproperlyConfigured:
        raise ConfigurationError(f"{name} is not set") from None
    except (ValueError, TypeError) as error:
        raise ConfigurationError(f"{name} is malformed: {error}") from None


def _list(name: str, default: Any) -> list[str]:
    """A list given as a JSON array (the seed's CORS_ORIGINS) or comma-separated."""
    raw = env.str(name, default=None)
    if raw is None:
        if default is environ.Env.NOTSET:
            raise ImproperlyConfigured(name)
        return list(default)
    raw = raw.strip()
    if raw.startswith("["):
        value = json.loads(raw)
        if not all(isinstance(item, str) for item in value):
            raise ValueError("expected a JSON array of strings")
        return list(value)
    return [item.strip() for item in raw.split(",") if item.strip()]


MYSQL_ENGINE = "config.mysql"


def _url_config(name: str, url: str) -> dict[str, Any]:
    try:
        config: dict[str, Any] = environ.Env.db_url_config(url)
    except Exception as error:
        raise ConfigurationError(f"{name} is malformed: {error}") from None
    if not config.get("ENGINE"):
        raise ConfigurationError(f"{name} is malformed: unknown scheme")
    return config


def databases(default_url: str | None = None) -> dict[str, dict[str, Any]]:
    """`default` from database(); `replica` too when DATABASE_REPLICA_URL is set (config/replica.py).

    The replica is a copy the primary replicates to: never migrated, never tested as a database
    of its own (its test settings mirror the primary).
    """
    result = {"default": database(default_url)}
    url = read("DATABASE_REPLICA_URL", default=None)
    if url:
        replica = _connection_options(_url_config("DATABASE_REPLICA_URL", url))
        replica["TEST"] = {"MIRROR": "default"}
        result["replica"] = replica
    return result


def database(default_url: str | None = None) -> dict[str, Any]:
    """DATABASE_URL, or the seed's DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME."""
    url = read("DATABASE_URL", default=None)
    if url:
        config = _url_config("DATABASE_URL", url)
    elif read("DB_NAME", default=None):
        config = {
            "ENGINE": MYSQL_ENGINE,
            "NAME": read("DB_NAME"),
            "USER": read("DB_USER", default="root"),
            "PASSWORD": read("DB_PASSWORD", default=""),
            "HOST": read("DB_HOST", default="127.0.0.1"),
            "PORT": str(read("DB_PORT", int, default=3306)),
        }
    elif default_url:
        config = environ.Env.db_url_config(default_url)
    else:
        raise ConfigurationError("DATABASE_URL (or DB_NAME) is not set")
    return _connection_options(config)


def _connection_options(config: dict[str, Any]) -> dict[str, Any]:
    if config["ENGINE"] in ("django.db.backends.mysql", MYSQL_ENGINE):
        config["ENGINE"] = MYSQL_ENGINE
        config.setdefault("OPTIONS", {}).update(
            {
                "charset": "utf8mb4",
                # TIMESTAMP columns convert through the session time zone: keep it UTC so
                # CURRENT_TIMESTAMP defaults and Django's UTC datetimes agree.
                "init_command": "SET time_zone = '+00:00'",
            }
        )
        config["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    config["CONN_MAX_AGE"] = read("DB_CONN_MAX_AGE", int, default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return config
