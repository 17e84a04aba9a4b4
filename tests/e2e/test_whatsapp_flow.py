"""A shopper orders on WhatsApp, pays through the simulator, opens the receipt and the
public verification page. Real Chromium against the live server."""

import shutil
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from orders.models import Order, OrderSource
from payments.models import Receipt
from stores.demo import demo_seed
from stores.services import store_whatsapp_ordering_set
from tests.e2e.conftest import _chromium, console_errors

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 15


@pytest.fixture
def phone_browser():
    """Chromium where wa.me resolves to a closed local port: the redirect to WhatsApp is
    recorded in the address bar and fails at once, with no network."""
    driver, profile = _chromium("--host-resolver-rules=MAP wa.me 127.0.0.1:9")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(browser):
    return WebDriverWait(browser, WAIT_SECONDS, ignored_exceptions=(WebDriverException,))


def test_order_on_whatsapp_pay_receipt_and_verify(phone_browser, live_server):
    browser = phone_browser
    seed = demo_seed()
    store_whatsapp_ordering_set(user=seed.merchant, store_id=seed.store.pk, enabled=True)
    product = seed.store.products.get(name="Jollof Rice Party Pack")

    browser.get(f"{live_server.url}/mama-put-kitchen/p/{product.pk}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Jollof Rice Party Pack"
    button = browser.find_element(By.XPATH, "//button[normalize-space()='Order on WhatsApp']")
    browser.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    _wait(browser).until(lambda driver: driver.find_element(By.TAG_NAME, "h1").text == "Order on WhatsApp")
    assert (
        "1 \u00d7 Jollof Rice Party Pack"
        in browser.find_element(By.ID, "order-heading").find_element(By.XPATH, "..").text
    )
    assert console_errors(browser) == []
    browser.find_element(By.NAME, "name").send_keys("Tunde Bakare")
    browser.find_element(By.NAME, "phone").send_keys("0803 123 4567")
    browser.find_element(By.CSS_SELECTOR, "input[name=delivery_method][value=pickup]").click()
    browser.find_element(By.XPATH, "//button[text()='Place order and open WhatsApp']").click()
    _wait(browser).until(lambda driver: driver.current_url.startswith("https://wa.me/"))

    order = Order.objects.get(store=seed.store)
    assert OrderSource.objects.get(order=order).channel == "whatsapp"
    assert order.total == Decimal("15000.00")
    link = urlsplit(browser.current_url)
    assert link.path == "/2348030000001"
    text = parse_qs(link.query)["text"][0]
    assert f"I have placed order {order.order_number}:" in text
    pay_url = next(line for line in text.splitlines() if line.startswith("Pay by bank transfer: "))
    pay_url = pay_url.removeprefix("Pay by bank transfer: ")
    reference = order.payments.get().payment_reference
    assert pay_url == f"{live_server.url}/mama-put-kitchen/pay/{reference}"

    browser.get(pay_url)
    browser.find_element(By.XPATH, "//button[text()='Simulate transfer']").click()
    script = "var node = document.querySelector('#payment-status'); return node ? node.textContent : '';"
    _wait(browser).until(lambda driver: "Payment received" in driver.execute_script(script))
    order.refresh_from_db()
    assert order.payment_status == "paid"

    # the browser that placed the order sees its receipt without typing the phone again
    browser.get(f"{live_server.url}/mama-put-kitchen/orders/{order.order_number}/receipt")
    assert browser.find_element(By.TAG_NAME, "h1").text == f"Receipt for order {order.order_number}"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Paid: ₦15,000 by bank transfer on" in body
    assert order.payments.get().monnify_reference in body
    assert console_errors(browser) == []
    browser.save_screenshot("/tmp/e2e-receipt.png")

    code = Receipt.objects.get(order=order).code
    browser.find_element(By.CSS_SELECTOR, f"figcaption a[href$='/verify/{code}']").click()
    _wait(browser).until(lambda driver: driver.current_url.endswith(f"/verify/{code}"))
    verified = browser.find_element(By.TAG_NAME, "main").text
    assert "Paid — verified by bank transfer on" in verified
    assert "Mama Put Kitchen" in verified and order.order_number in verified and "₦15,000" in verified
    assert "Tunde" not in verified and "0803" not in verified
    assert console_errors(browser) == []
