"""A paid payment Monnify later reports REVERSED takes its sale back out of the merchant's balance."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from payments import services
from payments.models import LedgerEntry
from payments.selectors import ledger_balance
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def entries_sum(user) -> Decimal:
    return LedgerEntry.objects.filter(merchant=user).aggregate(total=Sum("amount"))["total"] or Decimal("0")


def test_reversal_books_one_debit_and_the_balance_returns_to_before_the_sale(
    store, merchant, monnify, django_capture_on_commit_callbacks
):
    # An earlier, unrelated sale: the balance before the reversed one is not zero.
    earlier = services.payment_start(
        order=OrderFactory(store=store, total=Decimal("3000.00"), agm_fee=Decimal("0.00"))
    )
    monnify.pay_full(earlier.payment_reference)
    services.payment_reconcile(payment=earlier)
    before = ledger_balance(user=merchant)
    assert before == Decimal("3000.00")

    order = OrderFactory(store=store, total=Decimal("12500.00"), agm_fee=Decimal("312.50"))
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_reconcile(payment=payment)
    assert ledger_balance(user=merchant) == before + Decimal("12187.50")

    monnify.set_status(payment.payment_reference, "REVERSED")
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_reconcile(payment=payment)
        services.payment_reconcile(payment=payment)  # Monnify reports it again: nothing more

    reversal = LedgerEntry.objects.get(kind="debit_reversal")
    assert (reversal.amount, reversal.reference, reversal.payment_id) == (
        Decimal("-12187.50"),
        f"reversal:{payment.payment_reference}",
        payment.pk,
    )
    assert LedgerEntry.objects.filter(merchant=merchant).count() == 3
    assert ledger_balance(user=merchant) == entries_sum(merchant) == before
    payment.refresh_from_db()
    assert payment.metadata["needs_merchant_action"] == "reversed"


def test_reversal_of_an_unpaid_payment_books_nothing(store, merchant, monnify):
    payment = services.payment_start(
        order=OrderFactory(store=store, total=Decimal("5000.00"), agm_fee=Decimal("0.00"))
    )
    monnify.set_status(payment.payment_reference, "REVERSED")
    services.payment_reconcile(payment=payment)
    assert LedgerEntry.objects.count() == 0
    assert ledger_balance(user=merchant) == Decimal("0.00")
