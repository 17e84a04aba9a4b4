from decimal import Decimal as D

import pytest

from orders import pricing
from orders.models import Coupon, CouponKind, DeliverySettings


@pytest.mark.parametrize(
    ("_case", "subtotal", "discount", "shipping", "pct", "bearer", "expected"),
    [
        (
            "merchant bears fee",
            D("10000.00"),
            D("0"),
            D("1500.00"),
            D("2.5"),
            "merchant",
            (D("10000.00"), D("0.00"), D("1500.00"), D("250.00"), D("11500.00")),
        ),
        (
            "customer bears fee",
            D("10000.00"),
            D("0"),
            D("1500.00"),
            D("2.5"),
            "customer",
            (D("10000.00"), D("0.00"), D("1500.00"), D("250.00"), D("11750.00")),
        ),
        (
            "fee rounds half up",
            D("0.50"),
            D("0"),
            D("0"),
            D("2.5"),
            "customer",
            (D("0.50"), D("0.00"), D("0.00"), D("0.01"), D("0.51")),
        ),
        (
            "fee rounds down below half",
            D("0.19"),
            D("0"),
            D("0"),
            D("2.5"),
            "customer",
            (D("0.19"), D("0.00"), D("0.00"), D("0.00"), D("0.19")),
        ),
        (
            "discount and shipping",
            D("7999.99"),
            D("800.00"),
            D("2000.00"),
            D("2.5"),
            "merchant",
            (D("7999.99"), D("800.00"), D("2000.00"), D("200.00"), D("9199.99")),
        ),
        (
            "fee on subtotal not on discounted amount",
            D("3333.33"),
            D("333.33"),
            D("0"),
            D("2.5"),
            "customer",
            (D("3333.33"), D("333.33"), D("0.00"), D("83.33"), D("3083.33")),
        ),
        (
            "odd fee percentage",
            D("1234.56"),
            D("0"),
            D("0"),
            D("1.75"),
            "merchant",
            (D("1234.56"), D("0.00"), D("0.00"), D("21.60"), D("1234.56")),
        ),
    ],
)
def test_order_totals(_case, subtotal, discount, shipping, pct, bearer, expected):
    totals = pricing.order_totals(
        subtotal=subtotal, discount=discount, shipping=shipping, fee_percentage=pct, fee_bearer=bearer
    )
    assert (totals.subtotal, totals.discount, totals.shipping_fee, totals.agm_fee, totals.total) == expected


def test_fee_percentage_and_bearer_come_from_settings(settings):
    settings.AGM_FEE_PERCENTAGE = D("5")
    settings.AGM_FEE_BEARER = "customer"
    totals = pricing.order_totals(subtotal=D("100.00"))
    assert (totals.agm_fee, totals.total) == (D("5.00"), D("105.00"))


def test_subtotal_is_exact():
    assert pricing.lines_subtotal([(D("0.10"), 3), (D("2500.00"), 2)]) == D("5000.30")


@pytest.mark.parametrize(
    ("_case", "kind", "value", "subtotal", "expected"),
    [
        ("10 percent", CouponKind.PERCENTAGE, D("10"), D("5000.00"), D("500.00")),
        ("percent rounds half up", CouponKind.PERCENTAGE, D("12.5"), D("0.20"), D("0.03")),
        ("percent of odd kobo", CouponKind.PERCENTAGE, D("15"), D("3333.33"), D("500.00")),
        ("fixed", CouponKind.FIXED, D("750.00"), D("5000.00"), D("750.00")),
        ("fixed capped at subtotal", CouponKind.FIXED, D("9000.00"), D("5000.00"), D("5000.00")),
        ("100 percent", CouponKind.PERCENTAGE, D("100"), D("4321.09"), D("4321.09")),
    ],
)
def test_coupon_discount(_case, kind, value, subtotal, expected):
    coupon = Coupon(code="X", kind=kind, value=value)
    assert pricing.coupon_discount(coupon, subtotal=subtotal) == expected


RATES = {("Lagos", ""): D("2000.00"), ("Lagos", "Ikeja"): D("1200.00")}


@pytest.mark.parametrize(
    ("_case", "settings_row", "state", "lga", "method", "goods", "expected"),
    [
        (
            "LGA rate overrides state",
            DeliverySettings(default_fee=D("3000")),
            "Lagos",
            "Ikeja",
            "delivery",
            D("100"),
            D("1200.00"),
        ),
        (
            "state rate",
            DeliverySettings(default_fee=D("3000")),
            "Lagos",
            "Epe",
            "delivery",
            D("100"),
            D("2000.00"),
        ),
        (
            "default fee elsewhere",
            DeliverySettings(default_fee=D("3000")),
            "Kano",
            "Dala",
            "delivery",
            D("100"),
            D("3000.00"),
        ),
        ("no settings, no rate: free", None, "Kano", "Dala", "delivery", D("100"), D("0.00")),
        (
            "free pickup",
            DeliverySettings(default_fee=D("3000"), free_pickup=True),
            "Lagos",
            "Ikeja",
            "pickup",
            D("100"),
            D("0.00"),
        ),
        (
            "no pickup offered",
            DeliverySettings(default_fee=D("3000"), free_pickup=False),
            None,
            None,
            "pickup",
            D("100"),
            None,
        ),
        (
            "free at threshold",
            DeliverySettings(default_fee=D("3000"), free_delivery_threshold=D("20000")),
            "Lagos",
            "Ikeja",
            "delivery",
            D("20000.00"),
            D("0.00"),
        ),
        (
            "below threshold",
            DeliverySettings(default_fee=D("3000"), free_delivery_threshold=D("20000")),
            "Lagos",
            "Ikeja",
            "delivery",
            D("19999.99"),
            D("1200.00"),
        ),
    ],
)
def test_shipping_fee(_case, settings_row, state, lga, method, goods, expected):
    fee = pricing.shipping_fee(
        delivery_settings=settings_row, rates=RATES, state=state, lga=lga, method=method, goods_amount=goods
    )
    assert fee == expected
