"""The README's run command, end to end: installs, migrates SQLite, seeds, serves the demo store."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.slow
def test_make_run_serves_the_seeded_demo_store(tmp_path):
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DB_", "DJANGO_", "REDIS", "CELERY", "CACHE"))
    }
    environment.update({"PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})
    server = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        status, page = 0, ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, page = fetch(f"http://127.0.0.1:{port}/mama-put-kitchen")
                break
            except OSError:
                time.sleep(0.5)
        assert server.poll() is None, server.stdout.read()
        assert status == 200
        assert "Mama Put Kitchen" in page
        assert "Jollof Rice Party Pack" in page
        assert fetch(f"http://127.0.0.1:{port}/no-such-store")[0] == 404
        home_status, home = fetch(f"http://127.0.0.1:{port}/")
        assert home_status == 200 and 'href="/mama-put-kitchen"' in home
        assert fetch(f"http://127.0.0.1:{port}/api/v1/health")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    # The printed links use the port the server was started on.
    assert f"Storefront: http://127.0.0.1:{port}/mama-put-kitchen" in output
    assert f"Dashboard:  http://127.0.0.1:{port}/dashboard/" in output
