"""Three months of order history for the demo store, so the dashboard home and the reports
look alive after `make run`.

The rows have the shape the real flows leave (checkout's order and items, the verified
payment with Monnify's details, the ledger's sale credit net of the platform fee, and for a
refunded order the Monnify refund and its ledger debit), written directly because the history
is in the past: checkout and the payment services stamp "now" and would send a shopper message
for every order. Idempotent: a store that has orders is left alone.
"""

import datetime
import random
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analytics.services import rollups_catch_up, rollups_rebuild
from catalog.models import Product
from config.money import kobo_text, to_kobo
from orders.models import Order, OrderEvent, OrderItem, OrderStatus, PaymentStatus
from payments.models import LedgerEntry, LedgerKind, Payment, PaymentMethod, Refund, RefundStatus
from payments.payment_state import MonnifyCheck, PaymentState
from payments.services import ledger_balances_rebuild
from stores.models import Store

ORDERS = 320
DAYS = 90
NAMES = [
    "Chioma Eze",
    "Tunde Bakare",
    "Aisha Bello",
    "Emeka Obi",
    "Funke Adeyemi",
    "Ibrahim Musa",
    "Ngozi Okeke",
    "Segun Alabi",
    "Halima Sani",
    "Kelechi Nwosu",
    "Bisi Ogunleye",
    "Yusuf Danjuma",
    "Amaka Udeh",
    "Dayo Ojo",
]
PLACES = [
    ("Lagos", "Ikeja"),
    ("Lagos", "Eti-Osa"),
    ("Lagos", "Surulere"),
    ("Lagos", "Alimosho"),
    ("Oyo", "Ibadan North"),
    ("Rivers", "Port Harcourt"),
    ("", ""),
]
ADVANCE = [OrderStatus.CONFIRMED, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED]


def _no_auto_timestamps():
    """The history's own timestamps are kept as given (the models stamp "now" otherwise)."""
    fields = []
    for model, name in (
        (Order, "created_at"),
        (OrderItem, "created_at"),
        (Payment, "created_at"),
        (Refund, "created_at"),
        (LedgerEntry, "created_at"),
        (OrderEvent, "created_at"),
    ):
        field = model._meta.get_field(name)
        fields.append((field, field.auto_now_add))
        field.auto_now_add = False
    return fields


@transaction.atomic
def demo_history_seed(*, store: Store) -> int:
    """Writes the history and builds the store's rollups; returns the number of orders written."""
    if Order.objects.filter(store=store).exists():
        return 0
    products = list(Product.objects.filter(store=store, deleted_at__isnull=True).order_by("name"))
    if not products:
        return 0
    rng = random.Random(store.username)  # noqa: S311  (repeatable demo data, not a secret)
    customers = [(rng.choice(NAMES), f"+23480{rng.randint(30000000, 99999999)}") for _ in range(110)]
    fee_rate = settings.AGM_FEE_PERCENTAGE / Decimal(100)
    now = timezone.now()
    saved = _no_auto_timestamps()
    try:
        for index in range(ORDERS):
            # Business grows: later days get more orders.
            age = datetime.timedelta(days=DAYS * (rng.random() ** 1.4), minutes=rng.randint(0, 600))
            _order(
                store,
                products,
                rng,
                customers[int(len(customers) * rng.random() ** 2)],
                now - age,
                fee_rate,
                index,
            )
    finally:
        for field, value in saved:
            field.auto_now_add = value
    # The history's ledger entries were written directly: bring the running balance to their sum.
    ledger_balances_rebuild()
    rollups_rebuild(store_id=store.pk, since=(now - datetime.timedelta(days=DAYS + 1)).date())
    rollups_catch_up()
    return ORDERS


def _paid_state(total: Decimal, paid_at: datetime.datetime) -> dict:
    """A paid payment's reconciliation state, as the re-query would have recorded it."""
    state = PaymentState(None)
    state.monnify = MonnifyCheck(
        status="PAID",
        amount_paid=kobo_text(total),
        currency="NGN",
        payment_method="ACCOUNT_TRANSFER",
        checked_at=paid_at.isoformat(),
    )
    return state.as_json()


def _order(store, products, rng, customer, placed, fee_rate, index):
    name, phone = customer
    lines = rng.sample(products, rng.choice([1, 1, 1, 2, 2, 3]))
    quantities = [rng.choice([1, 1, 2, 3]) for _ in lines]
    subtotal = sum((p.price * q for p, q in zip(lines, quantities, strict=True)), Decimal(0))
    state, lga = rng.choice(PLACES)
    shipping = Decimal("1500.00") if state else Decimal("0.00")
    fee = to_kobo(subtotal * fee_rate)
    total = subtotal + shipping
    age_days = (timezone.now() - placed).days
    roll = rng.random()
    if age_days < 1 and roll < 0.25:
        status, paid = OrderStatus.PENDING, PaymentStatus.PENDING
    elif roll < 0.10:
        status, paid = OrderStatus.CANCELLED, PaymentStatus.EXPIRED
    elif roll < 0.13:
        status, paid = OrderStatus.CANCELLED, PaymentStatus.REFUNDED
    else:
        status, paid = ADVANCE[min(age_days // 3, len(ADVANCE) - 1)], PaymentStatus.PAID
    order = Order.objects.create(
        store=store,
        order_number=f"AGM-D{secrets.token_hex(4).upper()}",
        customer_name=name,
        customer_phone=phone,
        delivery_address="12 Allen Avenue" if state else None,
        delivery_state=state or None,
        delivery_lga=lga or None,
        items=[
            {"product_id": p.pk, "name": p.name, "price": str(p.price), "quantity": q}
            for p, q in zip(lines, quantities, strict=True)
        ],
        subtotal=subtotal,
        shipping_fee=shipping,
        agm_fee=fee,
        total=total,
        status=status,
        payment_status=paid,
        created_at=placed,
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            product=p,
            product_name=p.name,
            product_price=p.price,
            quantity=q,
            subtotal=p.price * q,
            created_at=placed,
        )
        for p, q in zip(lines, quantities, strict=True)
    )
    OrderEvent.objects.create(
        order=order, status=OrderStatus.PENDING, note="Order placed (delivery).", created_at=placed
    )
    payment = Payment.objects.create(
        id=str(uuid.uuid4()),
        order=order,
        user=store.user,
        amount=total,
        payment_reference=f"AGM-{secrets.token_hex(8).upper()}",
        status=paid if paid != PaymentStatus.REFUNDED else PaymentStatus.REFUNDED,
        payment_method=PaymentMethod.BANK_TRANSFER if rng.random() < 0.8 else PaymentMethod.CARD,
        expires_at=placed + datetime.timedelta(minutes=40),
        created_at=placed,
        metadata={},
    )
    if paid == PaymentStatus.PENDING:
        return
    if paid == PaymentStatus.EXPIRED:
        Payment.objects.filter(pk=payment.pk).update(payment_method=None)
        OrderEvent.objects.create(
            order=order,
            status=OrderStatus.CANCELLED,
            note="Payment expired; stock returned.",
            created_at=placed + datetime.timedelta(minutes=41),
        )
        return
    paid_at = placed + datetime.timedelta(minutes=rng.randint(2, 30))
    Payment.objects.filter(pk=payment.pk).update(
        paid_at=paid_at,
        monnify_reference=f"MNFY|DEMO|{index:06d}",
        metadata=_paid_state(total, paid_at),
    )
    LedgerEntry.objects.create(
        merchant=store.user,
        kind=LedgerKind.CREDIT_SALE,
        amount=total - fee,
        reference=f"sale:{payment.payment_reference}",
        payment=payment,
        description="Order payment, net of the platform fee",
        created_at=paid_at,
    )
    OrderEvent.objects.create(
        order=order, status=OrderStatus.CONFIRMED, note="Payment received.", created_at=paid_at
    )
    if paid == PaymentStatus.REFUNDED:
        refunded_at = paid_at + datetime.timedelta(hours=rng.randint(1, 30))
        refund = Refund.objects.create(
            payment=payment,
            merchant=store.user,
            amount=total,
            reference=f"AGMRF-{secrets.token_hex(8).upper()}",
            status=RefundStatus.COMPLETED,
            reason="Order cancelled",
            created_at=refunded_at,
            completed_at=refunded_at,
        )
        LedgerEntry.objects.create(
            merchant=store.user,
            kind=LedgerKind.DEBIT_REFUND,
            amount=-total,
            reference=f"refund:{refund.reference}",
            payment=payment,
            description=f"Refund {refund.reference}",
            created_at=refunded_at,
        )
        OrderEvent.objects.create(
            order=order, status=OrderStatus.CANCELLED, note="Order cancelled.", created_at=refunded_at
        )
