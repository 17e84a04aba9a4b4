"""The dashboard home and a report in a real Chromium, on a phone and a laptop: no horizontal
scroll. Screenshots go to tests/e2e/screenshots/ (git-ignored) for a person to look at."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from analytics.demo import demo_history_seed
from stores.demo import demo_seed
from tests.e2e.conftest import console_errors

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PAGES = {"home": "/dashboard/", "report-products": "/dashboard/analytics/products/?period=this_year"}


@pytest.mark.parametrize("width", [360, 1366])
def test_analytics_pages_fit_the_screen(browser, live_server, width):
    seed = demo_seed()
    assert demo_history_seed(store=seed.store) > 0
    client = Client()
    client.force_login(seed.merchant)
    browser.set_window_size(width, 900)
    browser.get(f"{live_server.url}/auth/login/")
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, path in PAGES.items():
        browser.get(live_server.url + path)
        assert "svg" in browser.page_source and "Jollof" in browser.page_source
        inner = browser.execute_script("return window.innerWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        # The whole page in one picture: the window grows to the page's height.
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(height + 100, 8000))
        browser.save_screenshot(str(SCREENSHOTS / f"{name}-{width}.png"))
        browser.set_window_size(width, 900)
        wide = browser.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert scroll <= inner, f"{path} scrolls sideways at {width} px: {scroll} > {inner}: {wide}"
    assert console_errors(browser) == []
