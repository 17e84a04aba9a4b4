from decimal import Decimal as D

import pytest

from catalog.models import Product
from orders.models import Coupon, CouponRedemption, OrderEvent, OrderStatus, PaymentStatus
from orders.services import (
    IllegalTransition,
    order_cancel,
    order_expire_payment,
    order_place,
    order_transition,
)
from tests.factories import ProductFactory
from tests.orders.factories import CouponFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(store, shopper):
    product = ProductFactory(store=store, stock_quantity=5, price=D("1000.00"))
    CouponFactory(store=store, code="TEN", usage_limit=5)
    return order_place(
        store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 3}], coupon_code="TEN"
    )


def test_the_happy_path_is_recorded_in_the_timeline(placed, merchant):
    for status in ["confirmed", "processing", "shipped", "delivered", "fulfilled"]:
        placed = order_transition(order=placed, to_status=status, actor=merchant, note=f"now {status}")
    assert placed.status == OrderStatus.FULFILLED
    assert list(placed.events.values_list("status", "actor_id")) == [
        ("pending", None),
        ("confirmed", merchant.pk),
        ("processing", merchant.pk),
        ("shipped", merchant.pk),
        ("delivered", merchant.pk),
        ("fulfilled", merchant.pk),
    ]


@pytest.mark.parametrize(
    ("path", "to_status"),
    [
        ([], "shipped"),
        ([], "pending"),
        (["confirmed", "processing"], "cancelled"),
        (["confirmed", "processing", "shipped"], "processing"),
        (["cancelled"], "confirmed"),
        (["confirmed", "processing", "shipped", "delivered", "fulfilled"], "cancelled"),
    ],
)
def test_illegal_transitions_change_nothing(placed, path, to_status):
    for status in path:
        placed = order_transition(order=placed, to_status=status)
    events = OrderEvent.objects.count()
    stock = Product.objects.get().stock_quantity
    with pytest.raises(IllegalTransition) as error:
        order_transition(order=placed, to_status=to_status)
    assert error.value.http_status == 409
    placed.refresh_from_db()
    assert placed.status == (path[-1] if path else "pending")
    assert (OrderEvent.objects.count(), Product.objects.get().stock_quantity) == (events, stock)


def test_illegal_transition_message():
    from orders.models import Order

    with pytest.raises(IllegalTransition) as error:
        from orders.services.status import _check_transition

        _check_transition(Order(status="processing"), "pending")
    assert error.value.message == "An order that is processing cannot become pending; it can become shipped."


def test_cancel_returns_stock_and_coupon(placed, merchant):
    assert Product.objects.get().stock_quantity == 2
    order = order_cancel(order=placed, actor=merchant, note="Customer asked")
    assert order.status == OrderStatus.CANCELLED
    assert Product.objects.get().stock_quantity == 5
    assert Coupon.objects.get().used_count == 0
    assert CouponRedemption.objects.count() == 0
    assert order.events.last().note == "Customer asked"
    with pytest.raises(IllegalTransition):
        order_cancel(order=order)
    assert Product.objects.get().stock_quantity == 5


def test_cancel_after_confirmation_also_restocks(placed):
    order = order_transition(order=placed, to_status="confirmed")
    order_transition(order=order, to_status="cancelled")
    assert Product.objects.get().stock_quantity == 5


def test_payment_expiry_returns_stock_once(placed):
    order = order_expire_payment(order=placed)
    assert (order.status, order.payment_status) == (OrderStatus.CANCELLED, PaymentStatus.EXPIRED)
    assert Product.objects.get().stock_quantity == 5
    order_expire_payment(order=placed)
    assert Product.objects.get().stock_quantity == 5
    assert list(order.events.values_list("status", "note"))[-1] == (
        "cancelled",
        "Payment expired; stock returned.",
    )


def test_payment_expiry_leaves_a_paid_order_alone(placed):
    type(placed).objects.filter(pk=placed.pk).update(payment_status=PaymentStatus.PAID, status="confirmed")
    order = order_expire_payment(order=placed)
    assert (order.status, order.payment_status) == ("confirmed", "paid")
    assert Product.objects.get().stock_quantity == 2


def test_unknown_status_is_a_400(placed):
    from config.errors import ServiceError

    with pytest.raises(ServiceError) as error:
        order_transition(order=placed, to_status="lost")
    assert (error.value.http_status, error.value.message) == (400, "'lost' is not an order status.")
