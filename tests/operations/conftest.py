# The payments tests' Monnify simulator over HTTP, for the payment counters.
from tests.payments.conftest import _monnify_server, monnify  # noqa: F401
