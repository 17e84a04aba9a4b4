"""Checkouts racing on MariaDB: real threads, real connections, real transactions."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from catalog.models import Product
from config.errors import ServiceError
from orders.models import Coupon, CouponRedemption, Order
from orders.services import order_place
from tests.factories import ProductFactory
from tests.orders.factories import CouponFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(count, work):
    """Run work(i) in `count` threads released together; return results or exceptions."""
    barrier = threading.Barrier(count)

    def call(index):
        barrier.wait()
        try:
            return work(index)
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


def customer(index):
    return {
        "name": f"Shopper {index}",
        "phone": f"0803{index:07d}",
        "address": "1 Road",
        "state": "Lagos",
        "lga": "Ikeja",
    }


def test_30_checkouts_for_5_units_make_exactly_5_orders(store):
    product = ProductFactory(store=store, stock_quantity=5)
    results = run_concurrently(
        30,
        lambda i: order_place(
            store=store, customer=customer(i), lines=[{"product_id": product.pk, "quantity": 1}]
        ),
    )
    orders = [result for result in results if isinstance(result, Order)]
    failures = [result for result in results if not isinstance(result, Order)]
    assert len(orders) == 5
    assert {type(error).__name__ for error in failures} == {"OutOfStock"}
    assert {error.message for error in failures} == {f"{product.name} is sold out."}
    product.refresh_from_db()
    assert product.stock_quantity == 0
    assert Order.objects.count() == 5


def _both_in_turns(store, first, second):
    """A checkout of one of each product, every other one listing them the other way round."""

    def checkout(index):
        pair = [first, second] if index % 2 else [second, first]
        return order_place(
            store=store,
            customer=customer(index),
            lines=[{"product_id": pair[0].pk, "quantity": 1}, {"product_id": pair[1].pk, "quantity": 1}],
        )

    return checkout


def test_opposite_lock_orders_do_not_deadlock(store):
    first = ProductFactory(store=store, stock_quantity=50)
    second = ProductFactory(store=store, stock_quantity=50)
    checkout = _both_in_turns(store, first, second)

    results = run_concurrently(20, checkout)
    assert [type(result).__name__ for result in results] == ["Order"] * 20
    assert list(
        Product.objects.filter(pk__in=[first.pk, second.pk]).values_list("stock_quantity", flat=True)
    ) == [30, 30]


def test_opposite_lock_orders_with_scarce_stock_fail_cleanly(store):
    first = ProductFactory(store=store, stock_quantity=3)
    second = ProductFactory(store=store, stock_quantity=3)
    checkout = _both_in_turns(store, first, second)

    results = run_concurrently(10, checkout)
    assert sorted(type(result).__name__ for result in results) == ["Order"] * 3 + ["OutOfStock"] * 7
    assert set(
        Product.objects.filter(pk__in=[first.pk, second.pk]).values_list("stock_quantity", flat=True)
    ) == {0}


def test_a_coupon_limited_to_3_uses_is_used_3_times_under_20_checkouts(store):
    product = ProductFactory(store=store, stock_quantity=100)
    CouponFactory(store=store, code="FIRST3", usage_limit=3)
    results = run_concurrently(
        20,
        lambda i: order_place(
            store=store,
            customer=customer(i),
            coupon_code="FIRST3",
            lines=[{"product_id": product.pk, "quantity": 1}],
        ),
    )
    assert sum(isinstance(result, Order) for result in results) == 3
    assert {result.message for result in results if isinstance(result, ServiceError)} == {
        "The coupon FIRST3 has been used up."
    }
    assert Coupon.objects.get().used_count == 3
    assert CouponRedemption.objects.count() == 3
    product.refresh_from_db()
    assert product.stock_quantity == 97


def test_a_3_use_coupon_is_used_3_times_by_20_checkouts_of_different_products(store):
    """No product lock is shared here: only the coupon's own row lock keeps the count."""
    products = [ProductFactory(store=store, stock_quantity=5) for _ in range(20)]
    CouponFactory(store=store, code="FIRST3", usage_limit=3)
    results = run_concurrently(
        20,
        lambda i: order_place(
            store=store,
            customer=customer(i),
            coupon_code="FIRST3",
            lines=[{"product_id": products[i].pk, "quantity": 1}],
        ),
    )
    orders = [result for result in results if isinstance(result, Order)]
    assert len(orders) == 3
    assert [result.message for result in results if not isinstance(result, Order)] == [
        "The coupon FIRST3 has been used up."
    ] * 17
    assert Coupon.objects.get().used_count == 3
    assert sorted(CouponRedemption.objects.values_list("order_id", flat=True)) == sorted(o.pk for o in orders)
    assert Order.objects.count() == 3
    assert sorted(Product.objects.values_list("stock_quantity", flat=True)) == [4] * 3 + [5] * 17


def test_the_same_key_submitted_concurrently_makes_one_order(store):
    product = ProductFactory(store=store, stock_quantity=10)
    results = run_concurrently(
        8,
        lambda i: order_place(
            store=store,
            customer=customer(1),
            idempotency_key="double-click",
            lines=[{"product_id": product.pk, "quantity": 1}],
        ),
    )
    assert {result.pk for result in results} == {Order.objects.get().pk}
    product.refresh_from_db()
    assert product.stock_quantity == 9
