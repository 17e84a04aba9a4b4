"""Every model registered in the admin lists and opens for staff without an error."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Role
from orders.models import Order, OrderItem
from payments.models import BankAccount, Payment
from tests.factories import ProductFactory, UserFactory

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def one_of_each(db):
    """A row in every seed table, so each admin has something to list and open."""
    product = ProductFactory()
    store = product.store
    order = Order.objects.create(
        store=store,
        order_number="AGM-ADMIN1",
        customer_name="Bola",
        customer_phone="+2348031234567",
        items=[],
        subtotal=Decimal("2500.00"),
        total=Decimal("2500.00"),
    )
    OrderItem.objects.create(
        order=order,
        product=product,
        product_name=product.name,
        product_price=product.price,
        quantity=1,
        subtotal=product.price,
    )
    Payment.objects.create(order=order, user=store.user, amount=order.total, payment_reference="PAY-ADMIN1")
    BankAccount.objects.create(
        user=store.user,
        account_number="0123456789",
        account_name="BOLA ADE",
        bank_code="058",
        bank_name="GTBank",
    )


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_and_search_render(client, one_of_each, model):
    client.force_login(UserFactory(role=Role.SUPER_ADMIN))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "x"}).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_page_renders_for_an_existing_row(client, one_of_each, model):
    client.force_login(UserFactory(role=Role.SUPER_ADMIN))
    row = model._default_manager.first()
    if row is None:
        pytest.skip(f"no {model._meta.label} row in the base fixture")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk])
    assert client.get(url).status_code == 200
