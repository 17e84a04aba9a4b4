from decimal import Decimal as D

import pytest

from accounts.models import Role
from catalog.models import Product
from orders.services import order_place
from tests.factories import ProductFactory, UserFactory
from tests.orders.factories import CouponFactory, DeliveryRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.SUPER_ADMIN))
    return client


@pytest.fixture
def placed(store, shopper):
    product = ProductFactory(store=store, stock_quantity=3, price=D("1000.00"))
    return order_place(store=store, customer=shopper, lines=[{"product_id": product.pk, "quantity": 2}])


def test_order_admin_pages(staff_client, placed):
    assert staff_client.get("/admin/orders/order/").status_code == 200
    page = staff_client.get(f"/admin/orders/order/{placed.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert placed.order_number in html and "Order placed (delivery)." in html
    assert 'name="total"' not in html and 'name="status"' not in html


def test_admin_cancel_action_restocks(staff_client, placed):
    staff_client.post("/admin/orders/order/", {"action": "cancel_orders", "_selected_action": [placed.pk]})
    placed.refresh_from_db()
    assert placed.status == "cancelled"
    assert Product.objects.get().stock_quantity == 3


def test_coupon_and_rate_admins(staff_client, store):
    coupon = CouponFactory(store=store)
    rate = DeliveryRateFactory(store=store)
    for url in [
        "/admin/orders/coupon/",
        f"/admin/orders/coupon/{coupon.pk}/change/",
        "/admin/orders/deliveryrate/",
        f"/admin/orders/deliveryrate/{rate.pk}/change/",
        "/admin/orders/deliverysettings/",
        "/admin/orders/couponredemption/",
    ]:
        assert staff_client.get(url).status_code == 200, url
