"""Orders made through the real services (checkout, Monnify simulator over HTTP, cancel,
expiry, refund), and the rollups read back."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from analytics.periods import LAGOS
from orders.pricing import DeliveryMethod
from orders.services import order_place
from payments import tasks as payment_tasks
from tests.factories import ProductFactory, StoreFactory
from tests.payments import conftest as payments_conftest
from tests.payments.helpers import open_payment

# The payments tests' Monnify simulator over HTTP, shared rather than copied.
_monnify_server = payments_conftest._monnify_server
monnify = payments_conftest.monnify


def lagos(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LAGOS)


class Shop:
    """One merchant's store with two products, and the actions a test needs."""

    def __init__(self, merchant, monnify, *, username):
        self.merchant = merchant
        self.monnify = monnify
        self.store = StoreFactory(user=merchant, username=username)
        self.jollof = ProductFactory(
            store=self.store,
            name="Jollof Pack",
            price=Decimal("15000.00"),
            stock_quantity=500,
            category="Food",
        )
        self.tote = ProductFactory(
            store=self.store,
            name="Ankara Tote",
            price=Decimal("6500.50"),
            stock_quantity=500,
            category="Fashion",
        )

    def place(self, *lines, phone="08031234567", name="Ada Obi", state="Lagos", lga="Ikeja", at=None):
        customer = {
            "name": name,
            "phone": phone,
            "email": "",
            "address": "12 Allen Avenue",
            "state": state,
            "lga": lga,
            "notes": "",
        }
        items = [{"product_id": product.pk, "quantity": quantity} for product, quantity in lines]
        if at is None:
            return order_place(
                store=self.store, customer=customer, lines=items, delivery_method=DeliveryMethod.DELIVERY
            )
        with time_machine.travel(at, tick=False):
            return order_place(
                store=self.store, customer=customer, lines=items, delivery_method=DeliveryMethod.DELIVERY
            )

    def pay(self, order, *, after=datetime.timedelta(minutes=5)):
        """Pay the order in full through the Monnify simulator, `after` its placing."""
        with time_machine.travel(order.created_at + after, tick=False):
            payment = open_payment(order=order)
            self.monnify.pay_full(payment.payment_reference)
            payment_tasks.payments_requery_pending.delay()
        order.refresh_from_db()
        return order


@pytest.fixture
def shop(merchant, monnify):
    return Shop(merchant, monnify, username="ada-kitchen")


@pytest.fixture
def other_shop(other_merchant, monnify):
    return Shop(other_merchant, monnify, username="bayo-bags")
