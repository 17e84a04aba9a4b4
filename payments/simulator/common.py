"""What every part of the simulator shares: Monnify's banks, its date and amount formats, its
error envelope, and the state the parts read (created by `MonnifySimulator.reset`)."""

import threading
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from config.money import kobo_text, to_kobo

LAGOS = ZoneInfo("Africa/Lagos")
ACCOUNT_DURATION_SECONDS = 2400

BANKS: list[dict[str, Any]] = [
    {
        "name": "Access bank",
        "code": "044",
        "ussdTemplate": "*901*Amount*AccountNumber#",
        "baseUssdCode": "*901#",
        "transferUssdTemplate": "*901*AccountNumber#",
    },
    {
        "name": "GTBank",
        "code": "058",
        "ussdTemplate": "*737*1*Amount*AccountNumber#",
        "baseUssdCode": "*737#",
        "transferUssdTemplate": "*737*1*AccountNumber#",
    },
    {
        "name": "Zenith bank",
        "code": "057",
        "ussdTemplate": "*966*Amount*AccountNumber#",
        "baseUssdCode": "*966#",
        "transferUssdTemplate": "*966*AccountNumber#",
    },
    {
        "name": "Sterling bank",
        "code": "232",
        "ussdTemplate": None,
        "baseUssdCode": None,
        "transferUssdTemplate": None,
    },
    {
        "name": "Wema bank",
        "code": "035",
        "ussdTemplate": None,
        "baseUssdCode": None,
        "transferUssdTemplate": None,
    },
    {
        "name": "Providus Bank",
        "code": "101",
        "ussdTemplate": None,
        "baseUssdCode": None,
        "transferUssdTemplate": None,
    },
    {
        "name": "Coronation Bank",
        "code": "559",
        "ussdTemplate": None,
        "baseUssdCode": None,
        "transferUssdTemplate": None,
    },
]


def _money(value: Decimal) -> str:
    return kobo_text(value)


def _number(value: Decimal) -> float | int:
    """An amount as a JSON number, as Monnify sends most of them."""
    value = to_kobo(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _now() -> datetime:
    return datetime.now(LAGOS)


def _dotted(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _slashed(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y ") + moment.strftime("%I:%M:%S %p").lstrip("0")


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class _Reply(Exception):
    def __init__(self, status: int, body):
        self.status = status
        self.body = body


def _error(status: int, message: str, code: str = "99") -> _Reply:
    return _Reply(status, {"requestSuccessful": False, "responseMessage": message, "responseCode": code})


class SimulatorBase:
    """The state the collections, transfers and refunds parts share (set in `reset()`)."""

    api_key: str
    contract_code: str
    wallet_account_number: str
    resolve_any_account: bool
    lock: threading.RLock
    port: int
    currency: str
    sequence_value: int
    transactions: dict[str, dict]
    by_payment_reference: dict[str, str]
    accounts: dict[tuple[str, str], str]
    transfers: dict[str, dict]
    refunds: dict[str, dict]
    wallet_balance: Decimal
    two_factor: bool
    transfer_outcome: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _next_sequence(self) -> int:
        self.sequence_value += 1
        return self.sequence_value

    @staticmethod
    def _require(body: dict, *fields):
        missing = [field for field in fields if body.get(field) in (None, "")]
        if missing:
            raise _error(400, f"{', '.join(missing)} is required")

    def _amount(self, body: dict, field: str = "amount") -> Decimal:
        amount = _decimal(body.get(field))
        if amount is None or amount <= 0:
            raise _error(400, f"{field} must be a positive amount")
        return amount
