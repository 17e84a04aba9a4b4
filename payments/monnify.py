"""Monnify's HTTP API, as described in shared/reference/integrations.md §1.

Every call goes through `MonnifyClient._call`: a bearer token from the shared cache, one
re-login on HTTP 401, a timeout, retries with backoff only for calls that are safe to repeat,
and the response envelope checked. Amounts travel as Decimal in both directions.
"""

import base64
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.core.cache import cache

from config.money import kobo_text

logger = logging.getLogger(__name__)

# A decoded JSON object of a request or an answer, amounts as Decimal (see normalise). Callers
# read its fields by Monnify's names, several of which differ between endpoints and versions.
Body = dict[str, Any]

# Both official SDKs refresh the token this many seconds before it expires, and do not
# cache a token that lives shorter than that.
TOKEN_REFRESH_MARGIN_SECONDS = 500

# Monnify's own clock: naive timestamps in its payloads are Nigerian time.
MONNIFY_TIME_ZONE = ZoneInfo("Africa/Lagos")

AMOUNT_FIELDS = frozenset(
    {
        "amount",
        "amountPaid",
        "totalPayable",
        "settlementAmount",
        "fee",
        "totalFee",
        "refundAmount",
        "availableBalance",
        "ledgerBalance",
        "expectedAmount",
        "splitAmount",
    }
)

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
)


class MonnifyError(Exception):
    """Anything that went wrong talking to Monnify."""

    def __init__(self, message: str, *, status: int | None = None, response_code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.response_code = response_code


class MonnifyUnavailable(MonnifyError):
    """Monnify could not be reached, timed out or answered 5xx: try again later."""


class MonnifyAuthError(MonnifyError):
    """Our API key, secret key or token was refused."""


class MonnifyRequestError(MonnifyError):
    """Monnify refused the request (4xx, or requestSuccessful false)."""


class MonnifyDuplicate(MonnifyRequestError):
    """D07: a transfer to the same account for the same amount within two minutes."""


@dataclass(frozen=True)
class MonnifyConfig:
    base_url: str
    api_key: str
    secret_key: str
    contract_code: str
    wallet_account_number: str
    timeout: float


def simulator_enabled() -> bool:
    """The built-in simulator stands in for Monnify: only where allowed, and never beside real keys."""
    return bool(settings.MONNIFY_SIMULATOR) and not settings.MONNIFY_API_KEY


def monnify_config() -> MonnifyConfig:
    """The merchant's keys, or the built-in simulator's where it is enabled and no API key is set."""
    if not settings.MONNIFY_API_KEY:
        if not simulator_enabled():
            raise MonnifyAuthError("MONNIFY_API_KEY is not set and MONNIFY_SIMULATOR is off.")
        from payments.simulator_shared import embedded_simulator

        return embedded_simulator().config(timeout=settings.MONNIFY_TIMEOUT_SECONDS)
    return MonnifyConfig(
        base_url=settings.MONNIFY_BASE_URL.rstrip("/"),
        api_key=settings.MONNIFY_API_KEY,
        secret_key=settings.MONNIFY_SECRET_KEY,
        contract_code=settings.MONNIFY_CONTRACT_CODE,
        wallet_account_number=settings.MONNIFY_WALLET_ACCOUNT_NUMBER,
        timeout=settings.MONNIFY_TIMEOUT_SECONDS,
    )


# The health check's patience: an answer, any answer, within this many seconds.
REACHABLE_TIMEOUT_SECONDS = 2


def monnify_reachable() -> str:
    """ "ok" (or "simulator") when Monnify's API answers HTTP at all; raises when it cannot be reached."""
    config = monnify_config()
    requests.get(config.base_url, timeout=REACHABLE_TIMEOUT_SECONDS)
    return "simulator" if simulator_enabled() else "ok"


def parse_amount(value: int | float | str | Decimal | None) -> Decimal | None:
    """3000, "2990.00" or 10.0 → Decimal; Monnify mixes numbers and strings in one payload."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise MonnifyError(f"Monnify sent an amount that is not a number: {value!r}") from None


def parse_datetime(value: object) -> datetime | None:
    """Any of the date formats Monnify is known to send, as an aware datetime (None if unknown)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=MONNIFY_TIME_ZONE)
        return parsed
    logger.warning("monnify: unrecognised date %r", value)
    return None


def normalise(value: Any) -> Any:
    """A response body with amounts as Decimal and bank codes as strings (the samples send 101)."""
    if isinstance(value, dict):
        result: Body = {}
        for key, item in value.items():
            if key in AMOUNT_FIELDS and isinstance(item, int | float | str | Decimal):
                result[key] = parse_amount(item)
            elif key == "bankCode" and isinstance(item, int):
                result[key] = str(item)
            else:
                result[key] = normalise(item)
        return result
    if isinstance(value, list):
        return [normalise(item) for item in value]
    return value


_DECIMAL_MARK = "\x00decimal:"
_DECIMAL_TOKEN = re.compile(r'"\\u0000decimal:(-?\d+\.\d{2})"')


def encode_json(payload: Body) -> bytes:
    """JSON with Decimal amounts as numbers with two decimals (100.00), as in Monnify's samples."""

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_DECIMAL_MARK}{kobo_text(value)}"
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    text = json.dumps(mark(payload), separators=(",", ":"))
    return _DECIMAL_TOKEN.sub(r"\1", text).encode()


def quote_reference(reference: str) -> str:
    """A reference for a URL path: transactionReferences contain '|'."""
    return quote(reference, safe="")


class MonnifyClient:
    """One merchant's Monnify account. Safe to share between threads."""

    max_attempts = 3
    backoff_seconds = 0.25

    def __init__(self, config: MonnifyConfig | None = None, *, session: requests.Session | None = None):
        self.config = config or monnify_config()
        self.session = session or requests.Session()
        digest = hashlib.sha256(f"{self.config.base_url}|{self.config.api_key}".encode()).hexdigest()[:24]
        self.token_cache_key = f"monnify:token:{digest}"

    # --- transport -------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.config.base_url}{path}"

    def _send(self, method: str, path: str, *, idempotent: bool, **kwargs: Any) -> requests.Response:
        """One HTTP exchange; 5xx and network errors retried with backoff when safe to repeat."""
        attempts = self.max_attempts if idempotent else 1
        for attempt in range(1, attempts + 1):
            try:
                response = self.session.request(
                    method, self._url(path), timeout=self.config.timeout, **kwargs
                )
            except requests.RequestException as error:
                failure = MonnifyUnavailable(f"Monnify could not be reached: {error.__class__.__name__}")
            else:
                if response.status_code < 500:
                    return response
                failure = MonnifyUnavailable(
                    f"Monnify answered HTTP {response.status_code}", status=response.status_code
                )
            if attempt < attempts:
                logger.info("monnify: %s %s failed (%s), retrying", method, path, failure.message)
                time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        raise failure

    def _envelope(self, response: requests.Response) -> Any:
        """The responseBody of a successful envelope; a typed error otherwise."""
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise MonnifyRequestError(
                f"Monnify answered HTTP {response.status_code} without a JSON envelope",
                status=response.status_code,
            )
        code = str(data.get("responseCode", ""))
        message = str(data.get("responseMessage") or "Monnify refused the request")
        if response.status_code == 401:
            raise MonnifyAuthError(message, status=401, response_code=code)
        if response.status_code >= 400 or data.get("requestSuccessful") is not True or code != "0":
            error_class = MonnifyDuplicate if code == "D07" else MonnifyRequestError
            raise error_class(message, status=response.status_code, response_code=code)
        return normalise(data.get("responseBody"))

    @staticmethod
    def _require(body: Any, *fields: str) -> Body:
        """A success envelope whose body lacks what the call must return is still a failure."""
        if not isinstance(body, dict) or any(body.get(field) in (None, "") for field in fields):
            raise MonnifyRequestError(f"Monnify's answer lacks {', '.join(fields)}")
        return body

    def _login(self) -> str:
        credentials = base64.b64encode(f"{self.config.api_key}:{self.config.secret_key}".encode()).decode()
        response = self._send(
            "POST",
            "/api/v1/auth/login",
            idempotent=True,
            data=b"{}",
            headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/json"},
        )
        body = self._envelope(response)
        token: str | None = (body or {}).get("accessToken")  # a JWT
        if not token:
            raise MonnifyAuthError("Monnify login returned no access token", status=response.status_code)
        expires_in = int(body.get("expiresIn") or 0)
        if expires_in >= TOKEN_REFRESH_MARGIN_SECONDS:
            cache.set(self.token_cache_key, token, timeout=expires_in - TOKEN_REFRESH_MARGIN_SECONDS)
        return token

    def _token(self) -> str:
        token: str | None = cache.get(self.token_cache_key)
        return token or self._login()

    def _call(
        self, method: str, path: str, *, params: dict[str, str] | None = None, payload: Body | None = None
    ) -> Any:
        idempotent = method == "GET"
        kwargs: dict[str, Any] = {"params": params}
        headers = {"Accept": "application/json"}
        if payload is not None:
            kwargs["data"] = encode_json(payload)
            headers["Content-Type"] = "application/json"
        response = self._send(
            method,
            path,
            idempotent=idempotent,
            headers={**headers, "Authorization": f"Bearer {self._token()}"},
            **kwargs,
        )
        if response.status_code == 401:
            # The token expired or was revoked before our cache said so: log in once more.
            cache.delete(self.token_cache_key)
            response = self._send(
                method,
                path,
                idempotent=idempotent,
                headers={**headers, "Authorization": f"Bearer {self._login()}"},
                **kwargs,
            )
        return self._envelope(response)

    # --- collections -----------------------------------------------------------------------

    def init_transaction(
        self,
        *,
        amount: Decimal,
        customer_name: str,
        customer_email: str,
        payment_reference: str,
        payment_description: str,
        redirect_url: str | None = None,
        payment_methods: list[str] | None = None,
        metadata: dict[str, object] | None = None,
    ) -> Body:
        payload: Body = {
            "amount": amount,
            "customerName": customer_name,
            "customerEmail": customer_email,
            "paymentReference": payment_reference,
            "paymentDescription": payment_description,
            "currencyCode": "NGN",
            "contractCode": self.config.contract_code,
        }
        if redirect_url:
            payload["redirectUrl"] = redirect_url
        if payment_methods:
            payload["paymentMethods"] = payment_methods
        if metadata:
            payload["metaData"] = {str(key): str(value) for key, value in metadata.items()}
        body = self._call("POST", "/api/v1/merchant/transactions/init-transaction", payload=payload)
        return self._require(body, "transactionReference")

    def init_bank_transfer(self, *, transaction_reference: str, bank_code: str | None = None) -> Body:
        payload: Body = {"transactionReference": transaction_reference}
        if bank_code:
            payload["bankCode"] = bank_code
        body = self._call("POST", "/api/v1/merchant/bank-transfer/init-payment", payload=payload)
        return self._require(body, "accountNumber")

    def get_transaction_status_v2(self, transaction_reference: str) -> Body:
        body = self._call("GET", f"/api/v2/transactions/{quote_reference(transaction_reference)}")
        return self._require(body, "paymentStatus")

    def query_by_payment_reference(self, payment_reference: str) -> Body:
        body = self._call(
            "GET", "/api/v2/merchant/transactions/query", params={"paymentReference": payment_reference}
        )
        return self._require(body, "paymentStatus", "transactionReference")

    # --- banks and name enquiry --------------------------------------------------------------

    def list_banks(self) -> list[Body]:
        banks: object = self._call("GET", "/api/v1/banks")
        if not isinstance(banks, list):
            raise MonnifyRequestError("Monnify's bank list is not a list")
        return banks

    def validate_account(self, *, account_number: str, bank_code: str) -> Body:
        body = self._call(
            "GET",
            "/api/v1/disbursements/account/validate",
            params={"accountNumber": account_number, "bankCode": bank_code},
        )
        return self._require(body, "accountName")

    # --- disbursements -----------------------------------------------------------------------

    def single_transfer(
        self,
        *,
        amount: Decimal,
        reference: str,
        narration: str,
        bank_code: str,
        account_number: str,
        account_name: str,
    ) -> Body:
        """A payout. The body's `status` must be read: FAILED can come back with HTTP 200."""
        body = self._call(
            "POST",
            "/api/v2/disbursements/single",
            payload={
                "amount": amount,
                "reference": reference,
                "narration": narration,
                "destinationBankCode": bank_code,
                "destinationAccountNumber": account_number,
                "destinationAccountName": account_name,
                "currency": "NGN",
                "sourceAccountNumber": self.config.wallet_account_number,
            },
        )
        return self._require(body, "status")

    def authorize_transfer(self, *, reference: str, otp: str) -> Body:
        body = self._call(
            "POST",
            "/api/v2/disbursements/single/validate-otp",
            payload={"reference": reference, "authorizationCode": otp},
        )
        return self._require(body, "status")

    def transfer_summary(self, reference: str) -> Body:
        body = self._call("GET", "/api/v2/disbursements/single/summary", params={"reference": reference})
        return self._require(body, "status")

    # --- refunds -----------------------------------------------------------------------------

    def initiate_refund(
        self,
        *,
        transaction_reference: str,
        refund_reference: str,
        amount: Decimal,
        reason: str,
        customer_note: str,
    ) -> Body:
        body = self._call(
            "POST",
            "/api/v1/refunds/initiate-refund",
            payload={
                "transactionReference": transaction_reference,
                "refundReference": refund_reference,
                "refundAmount": amount,
                "refundReason": reason[:64],
                "customerNote": customer_note[:16],
                "currencyCode": "NGN",
            },
        )
        return self._require(body, "refundStatus")

    def refund_status(self, refund_reference: str) -> Body:
        body = self._call("GET", f"/api/v1/refunds/{quote_reference(refund_reference)}")
        return self._require(body, "refundStatus")


def monnify_client() -> MonnifyClient:
    return MonnifyClient(monnify_config())
