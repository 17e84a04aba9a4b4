"""A Monnify simulator over real HTTP for every payments test, with the app pointed at it,
and a merchant with money to pay out."""

from decimal import Decimal

import pytest

from payments import services, tasks
from payments.simulator import MonnifySimulator
from tests.factories import OrderFactory, StoreFactory


@pytest.fixture(scope="session")
def _monnify_server():
    simulator = MonnifySimulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture
def monnify(_monnify_server, settings):
    """The simulator, emptied, with our settings holding its keys."""
    _monnify_server.reset()
    if _monnify_server.server is None:
        _monnify_server.start()
    settings.MONNIFY_BASE_URL = _monnify_server.url
    settings.MONNIFY_API_KEY = _monnify_server.api_key
    settings.MONNIFY_SECRET_KEY = _monnify_server.secret_key
    settings.MONNIFY_CONTRACT_CODE = _monnify_server.contract_code
    settings.MONNIFY_WALLET_ACCOUNT_NUMBER = _monnify_server.wallet_account_number
    settings.MONNIFY_WEBHOOK_ALLOWED_IPS = []
    settings.MONNIFY_TIMEOUT_SECONDS = 5
    yield _monnify_server
    if _monnify_server.server is None:
        _monnify_server.start()


@pytest.fixture
def funded(merchant, monnify):
    """The merchant with one paid order (48,750.00 available after the 1,250.00 fee) and a
    verified primary bank account."""
    order = OrderFactory(
        store=StoreFactory(user=merchant), total=Decimal("50000.00"), agm_fee=Decimal("1250.00")
    )
    payment = services.payment_start(order=order)
    monnify.pay_full(payment.payment_reference)
    tasks.payments_requery_pending.delay()
    services.bank_account_add(user=merchant, account_number="0123456789", bank_code="058")
    return merchant


@pytest.fixture
def submit_now(django_capture_on_commit_callbacks):
    """Request a payout and run what its transaction queued (the transfer) at once."""

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            payout = services.payout_request(**kwargs)
        payout.refresh_from_db()
        return payout

    return request
