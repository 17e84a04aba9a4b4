"""The merchant's ledger: every movement of a balance is one entry, booked once by reference."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from config.errors import ServiceError
from orders.models import Order
from payments.models import (
    LedgerEntry,
    LedgerKind,
    MerchantBalance,
    Payment,
)


class InsufficientBalance(ServiceError):
    code = "insufficient_balance"


def ledger_book(
    *, merchant_id: str, kind: str, amount: Decimal, reference: str, **links: Any
) -> LedgerEntry | None:
    """Book an entry once: a second booking under the same reference is a no-op (None).

    The merchant's running balance moves in the same savepoint, by a relative UPDATE (row
    locked until commit: the last lock of ARCHITECTURE.md's order), so it equals the ledger sum
    whatever commits or rolls back.
    """
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                merchant_id=merchant_id, kind=kind, amount=amount, reference=reference, **links
            )
            _balance_add(merchant_id, amount)
            return entry
    except IntegrityError:
        return None


def _balance_add(merchant_id: str, amount: Decimal) -> None:
    if MerchantBalance.objects.filter(pk=merchant_id).update(balance=F("balance") + amount):
        return
    # The merchant's first entry: the row appears once (a concurrent first entry may win the
    # insert; ours then waits for it and adds on top).
    MerchantBalance.objects.bulk_create([MerchantBalance(merchant_id=merchant_id)], ignore_conflicts=True)
    MerchantBalance.objects.filter(pk=merchant_id).update(balance=F("balance") + amount)


def ledger_balances_rebuild() -> int:
    """Set every merchant's running balance to their ledger sum; returns the rows written.

    Each merchant's row is recomputed under its lock, so bookings made meanwhile queue behind it.
    """
    merchants = LedgerEntry.objects.values_list("merchant_id", flat=True).distinct().order_by("merchant_id")
    count = 0
    for merchant_id in merchants.iterator(chunk_size=500):
        MerchantBalance.objects.bulk_create([MerchantBalance(merchant_id=merchant_id)], ignore_conflicts=True)
        with transaction.atomic():
            MerchantBalance.objects.select_for_update().filter(pk=merchant_id).first()
            total = LedgerEntry.objects.filter(merchant_id=merchant_id).aggregate(total=Sum("amount"))[
                "total"
            ]
            MerchantBalance.objects.filter(pk=merchant_id).update(balance=total or 0)
        count += 1
    return count


def ledger_credit_sale(
    payment: Payment,
    amount_paid: Decimal,
    *,
    kind: str = LedgerKind.CREDIT_SALE,
    fee: Decimal | None = None,
    description: str = "Order payment, net of the platform fee",
) -> None:
    # What arrived, less the platform fee: an overpayment's excess is the merchant's to refund.
    # A pay-on-delivery part passes its own kind and its share of the fee; the reference is a
    # sale's either way, so refunds and reversals find what it credited.
    if fee is None:
        fee = Order.objects.filter(pk=payment.order_id).values_list("agm_fee", flat=True).first() or Decimal(
            "0"
        )
    ledger_book(
        merchant_id=payment.user_id,
        kind=kind,
        amount=amount_paid - fee,
        reference=f"sale:{payment.payment_reference}",
        payment=payment,
        description=description,
    )


def ledger_debit_reversal(payment: Payment) -> None:
    # The money went back to the shopper: take back exactly what the sale credited, once.
    credited = (
        LedgerEntry.objects.filter(reference=f"sale:{payment.payment_reference}")
        .values_list("amount", flat=True)
        .first()
    )
    if not credited:
        return
    ledger_book(
        merchant_id=payment.user_id,
        kind=LedgerKind.DEBIT_REVERSAL,
        amount=-credited,
        reference=f"reversal:{payment.payment_reference}",
        payment=payment,
        description="Payment reversed by Monnify",
    )
