"""Every platform, storefront (all three themes) and dashboard page (tests/e2e/pages.py) at a
360 px phone and a 1366 px desktop: no sideways scroll, nothing refused by the
Content-Security-Policy, no serious or critical axe-core violation."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from stores.demo import DEMO_MERCHANT_EMAIL, DEMO_PASSWORD
from tests.e2e.audit import audit_page
from tests.e2e.pages import PAGES, VIEWPORTS, build_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _log_in(browser, base: str) -> None:
    browser.get(f"{base}{reverse('accounts:login')}")
    browser.find_element(By.NAME, "email").send_keys(DEMO_MERCHANT_EMAIL)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


@pytest.mark.timeout(900)
@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=[f"{w}px" for w, _ in VIEWPORTS])
def test_every_page_fits_the_screen_and_passes_axe(browser, live_server, width, height):
    world = build_world(webhook_url=f"{live_server.url}{reverse('monnify-webhook')}")
    browser.set_script_timeout(60)
    problems = []
    logged_in = False
    # Pages for visitors first, then the merchant's pages once logged in. (A visitor's cart
    # already holds a session cookie, so the cookie cannot say whether the merchant is in.)
    for page in sorted(PAGES, key=lambda page: page.login):
        if page.login and not logged_in:
            _log_in(browser, live_server.url)
            logged_in = True
        if page.before:
            page.before(browser, live_server.url, world)
        url = f"{live_server.url}{page.url(world)}"
        problems += audit_page(browser, url=url, name=page.name, width=width, height=height)
        if page.login and urlsplit(browser.current_url).path == reverse("accounts:login"):
            problems.append(f"{page.name} @{width}px: sent to the login page, not audited")
    assert not problems, "\n".join(problems)
