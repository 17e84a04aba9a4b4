import pytest
from selenium.webdriver.common.by import By

from stores.demo import demo_seed
from tests.e2e.conftest import console_errors

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_demo_store_renders_in_a_real_browser(browser, live_server):
    seed = demo_seed()
    browser.get(f"{live_server.url}/{seed.store.username}")
    assert browser.title.startswith("Mama Put Kitchen")
    # The featured products appear twice: in the featured row and in the full list.
    names = {element.text for element in browser.find_elements(By.CSS_SELECTOR, ".product-card h3")}
    assert names == {
        "Jollof Rice Party Pack",
        "Ankara Tote Bag",
        "Zobo Drink (1 litre)",
        "Chin Chin (500 g)",
        "Suya Spice Mix",
        "Puff-Puff Box (24)",
    }
    assert console_errors(browser) == []
