"""The merchant's ledger: every movement of a balance is one entry, booked once by reference."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from config.errors import ServiceError
from orders.models import Order
from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
)


class InsufficientBalance(ServiceError):
    code = "insufficient_balance"


def ledger_book(
    *, merchant_id: str, kind: str, amount: Decimal, reference: str, **links
) -> LedgerEntry | None:
    """Book an entry once: a second booking under the same reference is a no-op (None)."""
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                merchant_id=merchant_id, kind=kind, amount=amount, reference=reference, **links
            )
    except IntegrityError:
        return None


def ledger_credit_sale(payment: Payment, amount_paid: Decimal):
    # What arrived, less the platform fee: an overpayment's excess is the merchant's to refund.
    fee = Order.objects.filter(pk=payment.order_id).values_list("agm_fee", flat=True).first() or Decimal("0")
    ledger_book(
        merchant_id=payment.user_id,
        kind=LedgerKind.CREDIT_SALE,
        amount=amount_paid - fee,
        reference=f"sale:{payment.payment_reference}",
        payment=payment,
        description="Order payment, net of the platform fee",
    )


def ledger_debit_reversal(payment: Payment):
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
