"""Every model registered in the admin lists and opens for staff without an error, and the admin
never offers to edit money or audit fields."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db.models import DecimalField
from django.urls import reverse
from django.utils import timezone

from accounts.models import OtpType, OtpVerification, RefreshToken, Role
from analytics.services import rollups_catch_up
from notifications.models import AlertSettings, Category, Channel, DeliveryLog, Notification
from orders.models import (
    AbandonedCheckout,
    CouponRedemption,
    Order,
    OrderChannel,
    OrderItem,
    OrderSource,
    RecoveryKind,
    RecoveryMessage,
    RecoveryOptOut,
    RecoverySettings,
)
from outbox.models import OutboxMessage
from payments.models import (
    BankAccount,
    LedgerEntry,
    LedgerKind,
    MonnifyWebhookEvent,
    Payment,
    Payout,
    PayoutStatus,
    Receipt,
    Refund,
)
from stores.models import Store, WhatsAppOrdering
from tests.factories import ProductFactory, UserFactory
from tests.orders.factories import CouponFactory, DeliveryRateFactory, DeliverySettingsFactory

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Records of money that has moved: changing an amount here would disagree with the ledger and Monnify.
MONEY_MODELS = {Order, OrderItem, Payment, LedgerEntry, Payout, Refund, CouponRedemption}
AUDIT_FIELDS = {"created_at", "updated_at", "paid_at"}


def protected_fields(model):
    fields = model._meta.concrete_fields
    money = (
        {field.name for field in fields if isinstance(field, DecimalField)}
        if model in MONEY_MODELS
        else set()
    )
    return money | {field.name for field in fields if field.name in AUDIT_FIELDS}


@pytest.fixture
def one_of_each(db):
    """A row for every registered admin model, so each admin has something to list and open."""
    product = ProductFactory()
    store = product.store
    merchant = store.user
    in_a_day = timezone.now() + timedelta(days=1)
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
    payment = Payment.objects.create(
        order=order, user=merchant, amount=order.total, payment_reference="PAY-ADMIN1", paid_at=timezone.now()
    )
    bank_account = BankAccount.objects.create(
        user=merchant,
        account_number="0123456789",
        account_name="BOLA ADE",
        bank_code="058",
        bank_name="GTBank",
    )
    OtpVerification.objects.create(
        email=merchant.email, code="123456", type=OtpType.EMAIL, expires_at=in_a_day
    )
    RefreshToken.objects.create(user=merchant, token_hash="a" * 64, expires_at=in_a_day)
    DeliveryLog.objects.create(
        channel=Channel.EMAIL,
        category=Category.ORDER,
        recipient=merchant.email,
        user=merchant,
        template="orders/new_order",
        subject="New order",
        idempotency_key="order-new:AGM-ADMIN1",
    )
    Notification.objects.create(user=merchant, title="New order AGM-ADMIN1")
    coupon = CouponFactory(store=store)
    CouponRedemption.objects.create(
        coupon=coupon, order=order, customer_phone=order.customer_phone, amount=Decimal("250.00")
    )
    DeliveryRateFactory(store=store)
    DeliverySettingsFactory(store=store)
    OrderSource.objects.create(order=order, channel=OrderChannel.WHATSAPP)
    Receipt.objects.create(order=order, payment=payment, code="admin-receipt-code")
    WhatsAppOrdering.objects.create(store=store, enabled=True)
    LedgerEntry.objects.create(
        merchant=merchant,
        kind=LedgerKind.CREDIT_SALE,
        amount=Decimal("2437.50"),
        reference="sale:PAY-ADMIN1",
        payment=payment,
    )
    MonnifyWebhookEvent.objects.create(
        event_type="SUCCESSFUL_TRANSACTION", reference="MNFY-ADMIN1", payload={"eventType": "x"}
    )
    OutboxMessage.objects.create(task="payments.tasks.payment_open", kwargs={"payment_id": str(payment.pk)})
    Payout.objects.create(
        merchant=merchant,
        bank_account=bank_account,
        amount=Decimal("1000.00"),
        reference="PO-ADMIN1",
        status=PayoutStatus.PENDING_APPROVAL,
        account_number=bank_account.account_number,
        account_name=bank_account.account_name,
        bank_code=bank_account.bank_code,
        bank_name=bank_account.bank_name,
    )
    Refund.objects.create(
        payment=payment,
        merchant=merchant,
        amount=Decimal("2500.00"),
        reference="RF-ADMIN1",
        reason="cancelled",
    )
    rollups_catch_up()  # the analytics rollups and their watermark
    RecoverySettings.objects.create(store=store)
    checkout = AbandonedCheckout.objects.create(
        store=store, token="t" * 32, phone="+2348031234567", consent_text="yes", consent_at=timezone.now()
    )
    RecoveryMessage.objects.create(
        store=store, kind=RecoveryKind.UNPAID, key="unpaid:admin:1", order=order, phone="+2348031234567"
    )
    RecoveryMessage.objects.create(
        store=store, kind=RecoveryKind.ABANDONED, key="abandoned:admin:1", checkout=checkout
    )
    RecoveryOptOut.objects.create(store=store, address="bola@example.com")
    AlertSettings.objects.create(user=merchant, daily_summary=True)
    return order


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(role=Role.SUPER_ADMIN))
    return client


def change_url(row):
    meta = row._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])


def test_django_groups_are_not_in_the_admin():
    from django.contrib.auth.models import Group

    assert Group not in admin.site._registry


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_and_search_render(staff_client, one_of_each, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "x"}).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_page_renders_for_an_existing_row(staff_client, one_of_each, model):
    row = model._default_manager.first()
    assert row is not None, f"the one_of_each fixture has no {model._meta.label} row"
    assert staff_client.get(change_url(row)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_money_and_audit_fields_are_not_editable(staff_client, one_of_each, model):
    response = staff_client.get(change_url(model._default_manager.first()))
    forms = [(model, response.context["adminform"].form)]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [(formset.model, form) for form in [*formset.forms, formset.empty_form]]
    for form_model, form in forms:
        editable = protected_fields(form_model) & set(form.fields)
        assert not editable, f"{form_model._meta.label} admin lets staff edit {sorted(editable)}"


def test_order_change_page_shows_its_items_inline(staff_client, one_of_each):
    order = one_of_each
    item = order.order_items.get()
    response = staff_client.get(change_url(order))
    inlines = {inline.formset.model: inline for inline in response.context["inline_admin_formsets"]}
    assert [form.instance for form in inlines[OrderItem].formset.forms] == [item]
    assert item.product_name in response.content.decode()


@pytest.mark.parametrize(
    ("model", "points_to"),
    [(Payment, Order), (Refund, Payment), (LedgerEntry, Payment), (Order, Store), (CouponRedemption, Order)],
    ids=lambda model: model._meta.label,
)
def test_changelist_links_to_the_related_row(staff_client, one_of_each, model, points_to):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert change_url(points_to._default_manager.first()) in staff_client.get(url).content.decode()
