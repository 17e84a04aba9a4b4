"""The README's run command, end to end: installs, migrates SQLite, seeds, serves the demo store.

`make run` installs into a throwaway environment (UV_PROJECT_ENVIRONMENT under tmp) and serves
with that environment's Python: the suite's own .venv is never synced in the middle of a run,
and the demo is proven to start with what `make run` installs, not with the test tools.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, opener=None, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        with (opener or urllib.request.build_opener()).open(url, body, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def merchant_session(base: str):
    """An opener signed in as the demo merchant (its cookie jar keeps the session)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _status, form = fetch(f"{base}/auth/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    credentials = {"email": "demo@agmshops.test", "password": "demo-Passw0rd!", "csrfmiddlewaretoken": token}
    opener.addheaders = [("Referer", f"{base}/auth/login/")]
    fetch(f"{base}/auth/login/", opener, credentials)
    return opener


@pytest.mark.slow
@pytest.mark.timeout(600)  # a first install into the throwaway environment, then the seed
def test_make_run_serves_the_seeded_demo_store(tmp_path):
    port = free_port()
    demo_environment = tmp_path / "venv"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DB_", "DJANGO_", "REDIS", "CELERY", "CACHE", "UV_", "VIRTUAL_ENV", "AGM_"))
    }
    environment.update(
        {
            "PORT": str(port),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "UV_PROJECT_ENVIRONMENT": str(demo_environment),
        }
    )
    project_python = (ROOT / ".venv" / "bin" / "python").resolve()
    before = sorted(path.name for path in (ROOT / ".venv").glob("lib/python*/site-packages/*"))
    server = subprocess.Popen(
        ["make", "run", f"PYTHON={demo_environment / 'bin' / 'python'}"],
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
        # the demo's products have photos (drawn by Pillow, through the image pipeline)
        assert page.count('<source type="image/webp"') >= 6 and "-v2_thumb.jpg" in page
        assert fetch(f"http://127.0.0.1:{port}/no-such-store")[0] == 404
        home_status, home = fetch(f"http://127.0.0.1:{port}/")
        assert home_status == 200 and 'href="/mama-put-kitchen"' in home
        assert fetch(f"http://127.0.0.1:{port}/api/v1/health")[0] == 200
        # the demo merchant has three stores: their lists merge per-store pages, which SQLite
        # cannot do inside one UNION (config/keyset.py)
        merchant = merchant_session(f"http://127.0.0.1:{port}")
        for path, expected in (
            ("/dashboard/orders/", "Orders"),
            ("/dashboard/orders/customers", "Customers"),
        ):
            status, page = fetch(f"http://127.0.0.1:{port}{path}", merchant)
            assert status == 200 and f"<h1>{expected}" in page, (path, status)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    # The printed links use the port the server was started on.
    assert f"Storefront: http://127.0.0.1:{port}/mama-put-kitchen" in output
    assert f"Dashboard:  http://127.0.0.1:{port}/dashboard/" in output
    # The demo ran from the throwaway environment; the project's own was left as it was.
    assert (demo_environment / "bin" / "python").exists()
    assert (ROOT / ".venv" / "bin" / "python").resolve() == project_python
    assert sorted(path.name for path in (ROOT / ".venv").glob("lib/python*/site-packages/*")) == before
