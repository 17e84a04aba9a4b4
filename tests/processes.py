"""Starting the app as real processes for the tests that need them (gunicorn, a Celery worker
and beat) on this test run's database, and ports to point them at."""

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

from tests.waiting import wait_until

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port_url(scheme: str = "redis") -> str:
    """An address nothing listens on: connections are refused at once."""
    return f"{scheme}://127.0.0.1:{free_port()}/0"


def database_url() -> str:
    database = connection.settings_dict
    return (
        f"mysql://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 3306}/{database['NAME']}"
    )


def app_env(**overrides: str) -> dict[str, str]:
    """The test settings on this run's test database, the way a deployed process reads them."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        **overrides,
    }


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def started(command: list[str], *, env: dict[str, str], log: Path):
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def gunicorn(*, env: dict[str, str], log: Path, workers: int = 1, port: int | None = None):
    """`gunicorn config.wsgi` serving the test settings; yields its base URL once it answers."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
    ]
    with started(command, env={**env, "APP_URL": env.get("APP_URL", url)}, log=log) as process:

        def answering():
            assert process.poll() is None, log.read_text(errors="replace")
            with contextlib.suppress(requests.RequestException):
                return requests.get(f"{url}/robots.txt", timeout=2).status_code == 200
            return False

        wait_until(answering, timeout=60, interval=0.2, message=lambda: log.read_text(errors="replace"))
        yield url
