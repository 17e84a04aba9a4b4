"""A shopper buys from the demo store and pays through the embedded Monnify simulator; the
merchant then works the order in the dashboard. Real Chromium against the live server."""

import re
from decimal import Decimal

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from catalog.models import Product
from orders.models import Order
from stores.demo import DEMO_MERCHANT_EMAIL, DEMO_PASSWORD, demo_seed
from tests.e2e.conftest import console_errors

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 15
PAY_PATH = re.compile(r"/mama-put-kitchen/pay/([^/?#]+)$")


def _wait(browser):
    # The page may be mid-navigation or mid htmx swap when polled: a lookup then fails, try again.
    return WebDriverWait(browser, WAIT_SECONDS, ignored_exceptions=(WebDriverException,))


def _wait_for_text(browser, css: str, text: str):
    script = "var node = document.querySelector(arguments[0]); return node ? node.textContent : '';"
    _wait(browser).until(lambda driver: text in driver.execute_script(script, css))


def _click_and_wait_for(browser, element, url_pattern: str):
    element.click()
    _wait(browser).until(EC.url_matches(url_pattern))
    _wait(browser).until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def _assert_clean_console(browser):
    assert console_errors(browser) == [], browser.current_url


def _buy_jollof(browser, live_server, *, quantity: int, delivery: bool) -> str:
    """Store → product → cart → checkout → the payment page; gives back the payment reference."""
    browser.get(f"{live_server.url}/mama-put-kitchen")
    assert browser.title.startswith("Mama Put Kitchen")
    _assert_clean_console(browser)

    card = browser.find_element(By.XPATH, "//li[@class='product-card']//a[h3='Jollof Rice Party Pack']")
    _click_and_wait_for(browser, card, r"/mama-put-kitchen/p/[^/]+$")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Jollof Rice Party Pack"
    _assert_clean_console(browser)

    form = browser.find_element(By.CSS_SELECTOR, "form.add-to-cart")
    browser.execute_script("arguments[0].scrollIntoView()", form)
    browser.save_screenshot("/tmp/e2e-product.png")
    quantity_input = form.find_element(By.NAME, "quantity")
    quantity_input.clear()
    quantity_input.send_keys(str(quantity))
    _click_and_wait_for(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), r"/cart$")
    assert (
        "Jollof Rice Party Pack is in your cart." in browser.find_element(By.CSS_SELECTOR, ".messages").text
    )
    row = browser.find_element(By.CSS_SELECTOR, ".cart-table tbody tr")
    assert "Jollof Rice Party Pack" in row.text
    assert row.find_element(By.NAME, "quantity").get_attribute("value") == str(quantity)
    _assert_clean_console(browser)

    _click_and_wait_for(browser, browser.find_element(By.LINK_TEXT, "Check out"), r"/checkout$")
    _assert_clean_console(browser)
    browser.find_element(By.NAME, "name").send_keys("Tunde Bakare")
    browser.find_element(By.NAME, "phone").send_keys("0803 123 4567")
    if delivery:
        browser.find_element(By.CSS_SELECTOR, "input[name=delivery_method][value=delivery]").click()
        browser.find_element(By.NAME, "address").send_keys("12 Allen Avenue")
        Select(browser.find_element(By.NAME, "state")).select_by_visible_text("Lagos")
        Select(browser.find_element(By.NAME, "lga")).select_by_visible_text("Ikeja")
    else:
        browser.find_element(By.CSS_SELECTOR, "input[name=delivery_method][value=pickup]").click()
    _click_and_wait_for(
        browser, browser.find_element(By.XPATH, "//button[text()='Place order']"), PAY_PATH.pattern
    )
    return PAY_PATH.search(browser.current_url).group(1)


def _simulate_transfer(browser):
    browser.find_element(By.XPATH, "//button[text()='Simulate transfer']").click()
    _wait_for_text(browser, "#payment-status", "Payment received")


def test_shopper_buys_and_pays_by_simulated_transfer(browser, live_server):
    seed = demo_seed()
    jollof = Product.objects.get(store=seed.store, name="Jollof Rice Party Pack")
    assert jollof.stock_quantity == 12

    reference = _buy_jollof(browser, live_server, quantity=2, delivery=True)

    order = Order.objects.get(store=seed.store)
    assert (order.status, order.payment_status) == ("pending", "pending")
    assert (order.customer_name, order.customer_phone) == ("Tunde Bakare", "+2348031234567")
    assert (order.delivery_state, order.delivery_lga) == ("Lagos", "Ikeja")
    payment = order.payments.get()
    assert payment.payment_reference == reference
    assert payment.amount == order.total
    assert order.subtotal == Decimal("30000.00")

    # The transfer details: bank, account number, the exact amount and a running countdown.
    status = browser.find_element(By.ID, "payment-status")
    assert browser.find_element(By.ID, "pay-account").text == payment.account_number
    assert re.fullmatch(r"\d{10}", payment.account_number)
    assert payment.bank_name in status.text
    assert browser.find_element(By.ID, "pay-amount").text == f"{order.total:,}"
    _wait(browser).until(
        lambda driver: re.fullmatch(
            r"\(\d+:\d\d left\)", driver.find_element(By.CSS_SELECTOR, ".countdown").text
        )
    )
    _assert_clean_console(browser)
    browser.save_screenshot("/tmp/e2e-payment.png")

    _simulate_transfer(browser)
    assert "₦30,000 was received" in browser.find_element(By.ID, "payment-status").text
    assert browser.find_elements(By.XPATH, "//button[text()='Simulate transfer']") == []
    _assert_clean_console(browser)
    browser.save_screenshot("/tmp/e2e-payment-paid.png")

    order.refresh_from_db()
    payment.refresh_from_db()
    jollof.refresh_from_db()
    assert (order.status, order.payment_status) == ("confirmed", "paid")
    assert payment.status == "paid"
    assert payment.paid_at is not None
    assert jollof.stock_quantity == 10


def test_merchant_marks_the_paid_order_processing(browser, live_server):
    seed = demo_seed()
    _buy_jollof(browser, live_server, quantity=1, delivery=False)
    _simulate_transfer(browser)
    order = Order.objects.get(store=seed.store)
    assert order.status == "confirmed"

    browser.get(f"{live_server.url}/auth/login/")
    browser.find_element(By.NAME, "email").send_keys(DEMO_MERCHANT_EMAIL)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    _click_and_wait_for(browser, browser.find_element(By.XPATH, "//button[text()='Log in']"), r"/dashboard/")
    assert browser.find_element(By.CSS_SELECTOR, ".notification-bell").is_displayed()
    nav = browser.find_element(By.CSS_SELECTOR, "nav.dash-nav")
    assert [link.text for link in nav.find_elements(By.TAG_NAME, "a")] == [
        "Overview",
        "Stores",
        "Products",
        "Orders",
        "Payments",
        "Notifications",
        "Account",
    ]
    _assert_clean_console(browser)

    _click_and_wait_for(browser, nav.find_element(By.LINK_TEXT, "Orders"), r"/dashboard/orders/$")
    _assert_clean_console(browser)
    _click_and_wait_for(
        browser, browser.find_element(By.LINK_TEXT, order.order_number), rf"/dashboard/orders/{order.pk}$"
    )
    assert f"Order {order.order_number}" == browser.find_element(By.TAG_NAME, "h1").text
    _assert_clean_console(browser)

    Select(browser.find_element(By.NAME, "status")).select_by_value("processing")
    browser.find_element(By.NAME, "note").send_keys("Cooking now")
    browser.find_element(By.XPATH, "//button[text()='Update status']").click()
    _wait_for_text(browser, "ol.timeline", "Cooking now")
    timeline = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "ol.timeline li")]
    assert any(
        item.startswith("Processing") and item.endswith("by Ngozi Okafor: Cooking now") for item in timeline
    )
    _assert_clean_console(browser)

    order.refresh_from_db()
    assert order.status == "processing"


def test_checkout_and_payment_work_without_javascript(browser_without_js, live_server):
    seed = demo_seed()
    browser = browser_without_js

    reference = _buy_jollof(browser, live_server, quantity=1, delivery=True)

    payment = Order.objects.get(store=seed.store).payments.get()
    assert payment.payment_reference == reference
    assert browser.find_element(By.ID, "pay-account").text == payment.account_number
    # No script ran: no countdown text and the copy buttons stay hidden; the expiry time is there.
    assert browser.find_element(By.CSS_SELECTOR, ".countdown").text == ""
    assert browser.find_element(By.CSS_SELECTOR, "#payment-status time").text
    assert not browser.find_element(By.CSS_SELECTOR, "button.copy").is_displayed()

    # The simulate form is a plain POST that redirects back to the page.
    browser.find_element(By.XPATH, "//button[text()='Simulate transfer']").click()
    _wait_for_text(browser, "#payment-status", "Payment received")
    payment.refresh_from_db()
    assert payment.status == "paid"
