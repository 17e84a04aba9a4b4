"""Totals of real orders: DB prices, coupon, delivery rates and the platform fee, to the kobo."""

from decimal import Decimal as D

import pytest

from orders.services import order_place
from tests.factories import ProductFactory
from tests.orders.factories import CouponFactory, DeliveryRateFactory, DeliverySettingsFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("_case", "bearer", "price", "quantity", "coupon", "lga", "expected"),
    [
        # (subtotal, discount, shipping_fee, agm_fee, total)
        (
            "plain, state rate",
            "merchant",
            "1999.99",
            3,
            None,
            "Epe",
            ("5999.97", "0.00", "2000.00", "150.00", "7999.97"),
        ),
        (
            "LGA rate, customer fee",
            "customer",
            "1999.99",
            3,
            None,
            "Ikeja",
            ("5999.97", "0.00", "1200.00", "150.00", "7349.97"),
        ),
        (
            "percent coupon rounds half up",
            "merchant",
            "333.33",
            1,
            ("percentage", "12.5"),
            "Ikeja",
            ("333.33", "41.67", "1200.00", "8.33", "1491.66"),
        ),
        (
            "fixed coupon, customer fee",
            "customer",
            "10000.00",
            1,
            ("fixed", "1500.00"),
            "Epe",
            ("10000.00", "1500.00", "2000.00", "250.00", "10750.00"),
        ),
        (
            "free delivery once the discounted goods reach 50,000",
            "merchant",
            "25000.00",
            2,
            None,
            "Ikeja",
            ("50000.00", "0.00", "0.00", "1250.00", "50000.00"),
        ),
        (
            "coupon takes it back under the threshold",
            "merchant",
            "25000.00",
            2,
            ("fixed", "0.01"),
            "Ikeja",
            ("50000.00", "0.01", "1200.00", "1250.00", "51199.99"),
        ),
    ],
)
def test_totals(settings, store, shopper, _case, bearer, price, quantity, coupon, lga, expected):
    settings.AGM_FEE_BEARER = bearer
    DeliverySettingsFactory(store=store, default_fee=D("3000.00"), free_delivery_threshold=D("50000.00"))
    DeliveryRateFactory(store=store, state="Lagos", lga="", fee=D("2000.00"))
    DeliveryRateFactory(store=store, state="Lagos", lga="Ikeja", fee=D("1200.00"))
    product = ProductFactory(store=store, price=D(price), stock_quantity=None)
    if coupon:
        CouponFactory(store=store, code="C", kind=coupon[0], value=D(coupon[1]))
    order = order_place(
        store=store,
        customer={**shopper, "lga": lga},
        lines=[{"product_id": product.pk, "quantity": quantity}],
        coupon_code="C" if coupon else None,
    )
    order.refresh_from_db()
    assert (order.subtotal, order.discount, order.shipping_fee, order.agm_fee, order.total) == tuple(
        D(value) for value in expected
    )


def test_default_fee_outside_the_rated_states(store, shopper):
    DeliverySettingsFactory(store=store, default_fee=D("3500.00"))
    DeliveryRateFactory(store=store, state="Lagos", fee=D("2000.00"))
    product = ProductFactory(store=store, price=D("1000.00"))
    order = order_place(
        store=store,
        customer={**shopper, "state": "Kano", "lga": "Nasarawa"},
        lines=[{"product_id": product.pk, "quantity": 1}],
    )
    assert (order.shipping_fee, order.total, order.delivery_state, order.delivery_lga) == (
        D("3500.00"),
        D("4500.00"),
        "Kano",
        "Nasarawa",
    )
