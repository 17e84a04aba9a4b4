"""A real headless Chromium (Debian's chromium + chromium-driver) against the live server.

Without Chromium these tests fail, in CI and out of it: `make test` installs it (as root). A
machine that cannot have it opts out explicitly with AGM_E2E_SKIP=1; the opt-out is a skip,
which CI turns into a failure (tests/conftest.py).
"""

import os
import shutil
import tempfile

import pytest

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = "chromium and chromedriver are not installed: apt-get install chromium chromium-driver"


def _chromium(*extra_flags: str, prefs: dict | None = None):
    """A started headless Chromium with a throwaway profile, and that profile's folder."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("AGM_E2E_SKIP") == "1":
            pytest.skip(f"{MISSING} (AGM_E2E_SKIP=1)")
        pytest.fail(f"{MISSING}, or set AGM_E2E_SKIP=1 to skip the browser tests on this machine")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="agm-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=412,915",  # a mid-range Android phone, as most shoppers use
        f"--user-data-dir={profile}",
        *extra_flags,
    ):
        options.add_argument(flag)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver, profile


@pytest.fixture
def browser():
    driver, profile = _chromium()
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser_without_js():
    """Chromium with JavaScript switched off: the storefront must work without it."""
    driver, profile = _chromium(
        "--blink-settings=scriptEnabled=false",
        prefs={"profile.managed_default_content_settings.javascript": 2},
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
