"""A payment's reconciliation state: what Monnify reported and what the merchant must act on.

`payments` is a seed table that other backends read, so this state stays where they look for
it, the `metadata` JSON column, under the same keys. This class is the one place that knows
those keys: services set it through its properties and `store()` it on the row before they
save `metadata`; views, serializers, messages and reports read it through the same properties.

Keys, for the other backends: `monnify` (the last re-query), `needs_merchant_action` (the
flag), `partly_paid`, `overpaid`, `late_payment`, `reversed`, `closed_by_cancel`, `closed_by_cash`,
`rejected_payment`, `start_error`, `expired_at`, `checkout_url`, `ussd_payment`.
"""

from decimal import Decimal
from typing import Any, TypedDict, cast

from django.utils import timezone

from payments.models import Payment
from payments.monnify import parse_amount


class MonnifyCheck(TypedDict):
    status: str
    amount_paid: str
    currency: str
    payment_method: str | None
    checked_at: str


class StartError(TypedDict):
    message: str
    at: str


class PartlyPaid(TypedDict):
    amount_paid: str
    expected: str
    currency: str


class Overpaid(TypedDict):
    amount_paid: str
    excess: str


class LatePayment(TypedDict):
    amount_paid: str
    at: str


class RejectedPayment(TypedDict):
    amount_paid: str
    reason: str | None
    at: str


def now_iso() -> str:
    """The timestamps inside the state (ISO 8601, UTC)."""
    return timezone.now().isoformat()


class PaymentState:
    def __init__(self, metadata: dict[str, Any] | None) -> None:
        self._data: dict[str, Any] = dict(metadata or {})

    @classmethod
    def of(cls, payment: Payment) -> "PaymentState":
        return cls(payment.metadata)

    def store(self, payment: Payment) -> None:
        """Put the state on the row; the caller saves it (with "metadata" in update_fields)."""
        payment.metadata = dict(self._data)

    def as_json(self) -> dict[str, Any]:
        return dict(self._data)

    def _set(self, key: str, value: object) -> None:
        if value is None:
            self._data.pop(key, None)
        else:
            self._data[key] = value

    # --- opening the account -------------------------------------------------------------------

    @property
    def checkout_url(self) -> str | None:
        """Monnify's hosted page (card, USSD) for this payment."""
        return cast("str | None", self._data.get("checkout_url"))

    @checkout_url.setter
    def checkout_url(self, value: str | None) -> None:
        self._set("checkout_url", value)

    @property
    def ussd_payment(self) -> str | None:
        return cast("str | None", self._data.get("ussd_payment"))

    @ussd_payment.setter
    def ussd_payment(self, value: str | None) -> None:
        self._set("ussd_payment", value)

    @property
    def start_error(self) -> StartError | None:
        """Monnify could not be reached when the payment was opened (the page offers "try again")."""
        return cast("StartError | None", self._data.get("start_error"))

    def start_failed(self, message: str) -> None:
        self._data["start_error"] = StartError(message=message, at=now_iso())

    def start_succeeded(self) -> None:
        self._data.pop("start_error", None)

    # --- what Monnify reported -----------------------------------------------------------------

    @property
    def monnify(self) -> MonnifyCheck | None:
        return cast("MonnifyCheck | None", self._data.get("monnify"))

    @monnify.setter
    def monnify(self, value: MonnifyCheck) -> None:
        self._data["monnify"] = value

    @property
    def amount_paid_text(self) -> str | None:
        """What Monnify last reported arriving, as stored ("2990.00")."""
        check = self.monnify
        return check.get("amount_paid") if check else None

    @property
    def amount_paid(self) -> Decimal | None:
        return parse_amount(self.amount_paid_text)

    # --- the merchant's flag and its details ---------------------------------------------------

    @property
    def flag(self) -> str | None:
        """partly_paid, overpaid, late_payment, paid_after_cancel or reversed."""
        return cast("str | None", self._data.get("needs_merchant_action"))

    @flag.setter
    def flag(self, value: str | None) -> None:
        self._set("needs_merchant_action", value)

    @property
    def partly_paid(self) -> PartlyPaid | None:
        return cast("PartlyPaid | None", self._data.get("partly_paid"))

    @partly_paid.setter
    def partly_paid(self, value: PartlyPaid | None) -> None:
        self._set("partly_paid", value)

    @property
    def overpaid(self) -> Overpaid | None:
        return cast("Overpaid | None", self._data.get("overpaid"))

    @overpaid.setter
    def overpaid(self, value: Overpaid) -> None:
        self._data["overpaid"] = value

    @property
    def late_payment(self) -> LatePayment | None:
        return cast("LatePayment | None", self._data.get("late_payment"))

    def paid_late(self, amount_paid: str) -> None:
        self._data["late_payment"] = LatePayment(amount_paid=amount_paid, at=now_iso())

    @property
    def reversed(self) -> bool:
        """Monnify reversed the transfer after it was paid."""
        return bool(self._data.get("reversed"))

    def mark_reversed(self) -> None:
        """The first reversal's time is kept when Monnify reports it again."""
        self._data.setdefault("reversed", {"at": now_iso()})

    @property
    def closed_by_cancel(self) -> bool:
        """Closed because the merchant cancelled the order (a later payment is "paid after cancel")."""
        return "closed_by_cancel" in self._data

    def mark_closed_by_cancel(self) -> None:
        self._data["closed_by_cancel"] = {"at": now_iso()}

    def mark_closed_by_cash(self) -> None:
        """Closed because the merchant took a pay-on-delivery balance in cash (a marker for the
        other backends, as `closed_by_cancel` is)."""
        self._data["closed_by_cash"] = True

    def mark_expired(self) -> None:
        self._data["expired_at"] = now_iso()

    def rejected(self, *, amount_paid: str, reason: str | None) -> None:
        """Monnify refused a transfer into the account (REJECTED_PAYMENT)."""
        self._data["rejected_payment"] = RejectedPayment(amount_paid=amount_paid, reason=reason, at=now_iso())
