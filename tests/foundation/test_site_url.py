"""Absolute URLs follow the host the app is served on unless APP_URL pins them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from config.site_url import site_url
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def test_without_app_url_links_follow_the_request_host(client, settings):
    settings.APP_URL = ""
    store = StoreFactory(username="ada-shoes")

    text = client.get("/ada-shoes", HTTP_HOST="192.168.1.20:9000").content.decode()

    assert canonical(text) == "http://192.168.1.20:9000/ada-shoes"
    assert store.username in text


def test_app_url_wins_over_the_request_host(client, settings):
    settings.APP_URL = "https://shops.example.ng"
    StoreFactory(username="ada-shoes")

    text = client.get("/ada-shoes", HTTP_HOST="192.168.1.20:9000").content.decode()

    assert canonical(text) == "https://shops.example.ng/ada-shoes"


def test_outside_a_request_the_configured_default_is_used(settings):
    settings.APP_URL = ""
    settings.SITE_URL = "http://127.0.0.1:9000"

    assert site_url() == "http://127.0.0.1:9000"


def test_seed_demo_prints_the_configured_default(settings, capsys):
    settings.APP_URL = ""
    settings.SITE_URL = "http://127.0.0.1:9000"

    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "Storefront: http://127.0.0.1:9000/mama-put-kitchen" in out
    assert "Dashboard:  http://127.0.0.1:9000/dashboard/" in out


def test_the_default_follows_port_when_app_url_is_unset():
    environment = {
        **os.environ,
        "PORT": "9123",
        "APP_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    script = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "http://127.0.0.1:9123"


def test_images_stored_outside_a_request_follow_the_request_host(client, settings):
    # the demo seed stores its photos under the default host; a phone on the LAN sees them
    settings.APP_URL = ""
    settings.SITE_URL = "http://127.0.0.1:8000"
    store = StoreFactory(username="ada-shoes")
    image = "http://127.0.0.1:8000/media/products/p/0123456789abcdef0123456789abcdef-v2.jpg"
    ProductFactory(store=store, name="Sandals", images=[image], is_featured=False)

    text = client.get("/ada-shoes", HTTP_HOST="192.168.1.20:9000").content.decode()
    at_home = client.get("/ada-shoes", HTTP_HOST="127.0.0.1:8000").content.decode()

    lan = "http://192.168.1.20:9000/media/products/p/0123456789abcdef0123456789abcdef-v2"
    assert f'src="{lan}_thumb.jpg"' in text and f"{lan}_thumb_webp.webp 400w" in text
    assert "127.0.0.1:8000" not in text
    assert 'src="http://127.0.0.1:8000/media/products/p/0123456789abcdef0123456789abcdef-v2_thumb.jpg"' in (
        at_home
    )
