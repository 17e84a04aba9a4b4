from decimal import Decimal

import pytest

from tests.factories import StoreFactory
from tests.orders.factories import DeliveryRateFactory


@pytest.fixture
def shopper():
    return {
        "name": "Ada Obi",
        "phone": "0803 123 4567",
        "email": "ada@example.com",
        "address": "12 Allen Avenue",
        "state": "Lagos",
        "lga": "Ikeja",
        "notes": "",
    }


@pytest.fixture
def shop(merchant):
    """Ada Fabrics, delivering in Lagos for ₦2,500 (a test module may define its own shop)."""
    store = StoreFactory(user=merchant, username="ada-fabrics", display_name="Ada Fabrics")
    DeliveryRateFactory(store=store, state="Lagos", fee=Decimal("2500.00"))
    return store
