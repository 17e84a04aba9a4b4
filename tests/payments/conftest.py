"""A Monnify simulator over real HTTP for every payments test, with the app pointed at it."""

import pytest

from payments.simulator import MonnifySimulator


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
