"""Plain helpers for the pay-on-delivery tests: a store that takes it, and an order placed the
production way (order_place, then the payment_open task)."""

from decimal import Decimal

from orders.models import DepositKind, RefundPolicy
from orders.services import order_place, pod_settings_update
from tests.payments.helpers import open_payment

SHOPPER = {
    "name": "Ada Obi",
    "phone": "0803 123 4567",
    "email": "ada@example.com",
    "address": "12 Allen Avenue",
    "state": "Lagos",
    "lga": "Ikeja",
}


def pod_store(store, *, kind=DepositKind.PERCENT, value="30", policy=RefundPolicy.FULL, keep="0"):
    pod_settings_update(
        store=store,
        enabled=True,
        areas=[{"state": "Lagos", "lga": ""}, {"state": "Ogun", "lga": "Abeokuta South"}],
        deposit_kind=kind,
        deposit_value=Decimal(value),
        refund_policy=policy,
        refund_keep_percent=Decimal(keep),
    )
    return store


def place_pod(store, product, *, quantity=4, shopper=None):
    order = order_place(
        store=store,
        customer=shopper or SHOPPER,
        lines=[{"product_id": product.pk, "quantity": quantity}],
        payment_plan="pay_on_delivery",
    )
    return order, open_payment(order=order)
