"""Two payout requests racing for one balance: the merchant row lock lets only one through."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from payments import services, tasks
from payments.models import Payout
from tests.factories import OrderFactory, StoreFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_payouts_cannot_overdraw(monnify):
    merchant = UserFactory()
    order = OrderFactory(
        store=StoreFactory(user=merchant), total=Decimal("50000.00"), agm_fee=Decimal("1250.00")
    )
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    services.bank_account_add(user=merchant, account_number="0123456789", bank_code="058")
    start = threading.Barrier(4)
    outcomes = []

    def request():
        start.wait(timeout=10)
        try:
            services.payout_request(user=merchant, amount="30000")
            outcomes.append("ok")
        except services.InsufficientBalance:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Payout.objects.count() == 1
    assert services.ledger_balance(user=merchant) == Decimal("18750.00")
