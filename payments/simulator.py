"""A Monnify stand-in that speaks Monnify's HTTP API (shared/reference/integrations.md §1 and §2).

A real HTTP server on 127.0.0.1 (ThreadingHTTPServer, in a thread) with Monnify's envelopes,
field names and quirks (string responseCode, amounts as numbers or strings, '|' in references,
bankCode as a number in init-payment). It keeps state, and sends signed webhooks the way
Monnify does. Tests drive it through its control methods; without Monnify keys the app runs
against one embedded instance (`embedded_simulator`), so the whole flow works on one machine.
"""

import base64
import contextlib
import hashlib
import hmac
import json
import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import requests

from config.money import kobo_text, to_kobo

LAGOS = ZoneInfo("Africa/Lagos")
ACCOUNT_DURATION_SECONDS = 2400

BANKS = [
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


class MonnifySimulator:
    """Monnify on 127.0.0.1. `start()`, use `.url`, drive with the control methods, `stop()`."""

    def __init__(
        self,
        *,
        api_key: str = "MK_TEST_SIMULATOR0",
        secret_key: str = "SIMULATORSECRETKEY00000000000000",  # noqa: S107 (a fake, never a real key)
        contract_code: str = "1234567890",
        wallet_account_number: str = "9900000001",
        token_ttl: int = 3599,
        resolve_any_account: bool = False,
    ):
        self.api_key = api_key
        self.secret_key = secret_key
        self.contract_code = contract_code
        self.wallet_account_number = wallet_account_number
        self.default_token_ttl = token_ttl
        self.resolve_any_account = resolve_any_account
        self.lock = threading.RLock()
        # Requests being answered (a delayed one outlives its client's timeout): wait_idle().
        self.in_flight = 0
        self.idle = threading.Condition(self.lock)
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0
        self.reset()

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> "MonnifySimulator":
        simulator = self

        class Handler(_Handler):
            sim = simulator

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="monnify-simulator", daemon=True
        )
        self.thread.start()
        return self

    def stop(self):
        """Stop listening: calls now fail with 'connection refused'. `start()` reopens the same port."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self, *, timeout: float = 5):
        from payments.monnify import MonnifyConfig

        return MonnifyConfig(
            base_url=self.url,
            api_key=self.api_key,
            secret_key=self.secret_key,
            contract_code=self.contract_code,
            wallet_account_number=self.wallet_account_number,
            timeout=timeout,
        )

    def reset(self):
        with self.lock:
            self.token_ttl = self.default_token_ttl
            self.tokens: set[str] = set()
            self.transactions: dict[str, dict] = {}
            self.by_payment_reference: dict[str, str] = {}
            self.accounts: dict[tuple[str, str], str] = {
                ("0123456789", "058"): "ADAEZE OKAFOR",
                ("2085096393", "057"): "MARVELOUS BENJI",
                ("0068687503", "232"): "DAMILARE SAMUEL OGUNNAIKE",
            }
            self.transfers: dict[str, dict] = {}
            self.refunds: dict[str, dict] = {}
            self.wallet_balance = Decimal("1000000.00")
            self.two_factor = False
            self.transfer_outcome = "SUCCESS"
            self.failures: list[tuple[str, int]] = []
            self.delay_seconds = 0.0
            # The currency transactions are reported in (status, query, webhook): Monnify
            # collects NGN, another value stands for a wrong or tampered report.
            self.currency = "NGN"
            self.requests: list[tuple[str, str]] = []
            self.logins = 0
            self.sequence_value = 0

    def _next_sequence(self) -> int:
        self.sequence_value += 1
        return self.sequence_value

    def checkout_url(self, reference: str) -> str:
        """Where Monnify's hosted payment page (card, USSD) is for this transaction."""
        return f"{self.url}/checkout/{reference}"

    def request_finished(self) -> None:
        """Called after each HTTP request is answered (the shared simulator closes its database
        connection: every request runs in its own thread)."""

    # --- controls -------------------------------------------------------------------------------

    def fail_next(self, times: int = 1, *, status: int = 500, path: str = ""):
        """The next `times` requests whose path starts with `path` answer `status`."""
        with self.lock:
            self.failures.extend([(path, status)] * times)

    def expire_tokens(self):
        """Every issued token is now refused with 401, as after expiry or revocation."""
        with self.lock:
            self.tokens.clear()

    def add_account(self, account_number: str, bank_code: str, account_name: str):
        with self.lock:
            self.accounts[(account_number, bank_code)] = account_name

    def wait_idle(self, timeout: float = 10.0):
        """Returns once no request is being answered; AssertionError after `timeout` seconds."""
        with self.idle:
            if not self.idle.wait_for(lambda: self.in_flight == 0, timeout=timeout):
                raise AssertionError(f"the simulator is still answering {self.in_flight} request(s)")

    def count(self, method: str, path_prefix: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if m == method and p.startswith(path_prefix))

    def transaction(self, reference: str) -> dict:
        """By transactionReference or paymentReference."""
        with self.lock:
            reference = self.by_payment_reference.get(reference, reference)
            return self.transactions[reference]

    def pay(self, reference: str, amount: Decimal | None = None, *, method: str = "ACCOUNT_TRANSFER") -> dict:
        """The shopper pays `amount` (default: exactly what is due) into the transaction."""
        with self.lock:
            txn = self.transaction(reference)
            amount = txn["amount"] - txn["amountPaid"] if amount is None else Decimal(amount)
            txn["amountPaid"] += amount
            txn["paymentMethod"] = method
            txn["paidOn"] = _now()
            if txn["amountPaid"] > txn["amount"]:
                txn["paymentStatus"] = "OVERPAID"
            elif txn["amountPaid"] == txn["amount"]:
                txn["paymentStatus"] = "PAID"
            else:
                txn["paymentStatus"] = "PARTIALLY_PAID"
            return self._transaction_body(txn)

    def pay_full(self, reference: str, **kwargs) -> dict:
        return self.pay(reference, **kwargs)

    def pay_short(self, reference: str, shortfall: Decimal = Decimal("100.00")) -> dict:
        txn = self.transaction(reference)
        return self.pay(reference, txn["amount"] - Decimal(shortfall))

    def pay_over(self, reference: str, excess: Decimal = Decimal("100.00")) -> dict:
        txn = self.transaction(reference)
        return self.pay(reference, txn["amount"] + Decimal(excess))

    def set_status(self, reference: str, status: str):
        with self.lock:
            self.transaction(reference)["paymentStatus"] = status

    def settle_transfer(self, reference: str, status: str = "SUCCESS"):
        with self.lock:
            self.transfers[reference]["status"] = status
            self.transfers[reference]["completedOn"] = _now()

    def settle_refund(self, refund_reference: str, status: str = "COMPLETED"):
        with self.lock:
            self.refunds[refund_reference]["refundStatus"] = status
            self.refunds[refund_reference]["completedOn"] = _now()

    # --- webhooks -------------------------------------------------------------------------------

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret_key.encode(), body, hashlib.sha512).hexdigest()

    def transaction_event(self, reference: str) -> dict:
        """SUCCESSFUL_TRANSACTION for a paid transaction, in the shape of Monnify's sample."""
        with self.lock:
            txn = self.transaction(reference)
            event = {
                "product": {"reference": txn["paymentReference"], "type": "WEB_SDK"},
                "transactionReference": txn["transactionReference"],
                "paymentReference": txn["paymentReference"],
                "paidOn": _dotted(txn["paidOn"] or _now()),
                "paymentDescription": txn["paymentDescription"],
                "metaData": txn["metaData"],
                "paymentSourceInformation": [
                    {
                        "bankCode": "",
                        "amountPaid": _number(txn["amountPaid"]),
                        "accountName": txn["customerName"].upper(),
                        "sessionId": uuid.uuid4().hex,
                        "accountNumber": "0065432190",
                    }
                ],
                "destinationAccountInformation": {
                    "bankCode": "101",
                    "bankName": "Providus Bank",
                    "accountNumber": txn["accountNumber"] or "",
                },
                "amountPaid": _number(txn["amountPaid"]),
                "totalPayable": _number(txn["amount"]),
                "cardDetails": {},
                "paymentMethod": txn["paymentMethod"] or "ACCOUNT_TRANSFER",
                "currency": self.currency,
                "settlementAmount": _money(txn["amountPaid"] * Decimal("0.99")),
                "paymentStatus": txn["paymentStatus"],
                "customer": {"name": txn["customerName"], "email": txn["customerEmail"]},
            }
        return {"eventType": "SUCCESSFUL_TRANSACTION", "eventData": event}

    def disbursement_event(self, reference: str) -> dict:
        with self.lock:
            transfer = self.transfers[reference]
            status = transfer["status"]
            event_type = {"SUCCESS": "SUCCESSFUL_DISBURSEMENT", "REVERSED": "REVERSED_DISBURSEMENT"}.get(
                status, "FAILED_DISBURSEMENT"
            )
            data = {
                "amount": _number(transfer["amount"]),
                "transactionReference": transfer["transactionReference"],
                "fee": 8,
                "transactionDescription": transfer["transactionDescription"],
                "destinationAccountNumber": transfer["destinationAccountNumber"],
                "sessionId": transfer["sessionId"] if status == "SUCCESS" else "",
                "createdOn": _slashed(transfer["createdOn"]),
                "destinationAccountName": transfer["destinationAccountName"],
                "reference": reference,
                "destinationBankCode": transfer["destinationBankCode"],
                "completedOn": _slashed(transfer["completedOn"] or _now()),
                "narration": transfer["narration"],
                "currency": "NGN",
                "destinationBankName": transfer["destinationBankName"],
                "status": status,
            }
        return {"eventType": event_type, "eventData": data}

    def refund_event(self, refund_reference: str) -> dict:
        with self.lock:
            refund = self.refunds[refund_reference]
            data = {
                "merchantReason": refund["refundReason"],
                "transactionReference": refund["transactionReference"],
                "completedOn": _slashed(refund["completedOn"] or _now()),
                "refundStatus": refund["refundStatus"],
                "customerNote": refund["customerNote"],
                "createdOn": _slashed(refund["createdOn"]),
                "refundReference": refund_reference,
                "refundAmount": _number(refund["refundAmount"]),
            }
        event_type = "SUCCESSFUL_REFUND" if refund["refundStatus"] == "COMPLETED" else "FAILED_REFUND"
        return {"eventType": event_type, "eventData": data}

    def webhook_request(self, event: dict) -> tuple[bytes, dict]:
        """The exact bytes Monnify would post and the headers, signature over those bytes."""
        body = json.dumps(event, separators=(",", ":")).encode()
        return body, {"Content-Type": "application/json", "monnify-signature": self.sign(body)}

    def send_webhook(self, url: str, event: dict, *, times: int = 1, concurrency: int = 1) -> list[int]:
        """POST the signed event `times` times, `concurrency` at once; the HTTP statuses we got."""
        body, headers = self.webhook_request(event)
        start = threading.Barrier(min(times, concurrency)) if concurrency > 1 else None

        def deliver(_):
            if start is not None:
                with contextlib.suppress(threading.BrokenBarrierError):
                    start.wait(timeout=5)
            return requests.post(url, data=body, headers=headers, timeout=30).status_code

        if concurrency <= 1:
            return [deliver(i) for i in range(times)]
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(deliver, range(times)))

    # --- the API --------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict, headers, raw: bytes) -> tuple[int, object]:
        with self.lock:
            self.requests.append((method, path))
            for index, (prefix, status) in enumerate(self.failures):
                if path.startswith(prefix):
                    del self.failures[index]
                    raise _Reply(status, None)
        if path == "/api/v1/auth/login" and method == "POST":
            return self._login(headers)
        self._authorise(headers)
        body = self._json(raw) if raw else {}
        routes = {
            ("POST", "/api/v1/merchant/transactions/init-transaction"): self._init_transaction,
            ("POST", "/api/v1/merchant/bank-transfer/init-payment"): self._init_payment,
            ("GET", "/api/v2/merchant/transactions/query"): self._query,
            ("GET", "/api/v1/banks"): self._banks,
            ("GET", "/api/v1/disbursements/account/validate"): self._validate_account,
            ("POST", "/api/v2/disbursements/single"): self._single_transfer,
            ("POST", "/api/v2/disbursements/single/validate-otp"): self._validate_otp,
            ("GET", "/api/v2/disbursements/single/summary"): self._transfer_summary,
            ("POST", "/api/v1/refunds/initiate-refund"): self._initiate_refund,
        }
        route = routes.get((method, path))
        if route is not None:
            return 200, self._ok(route(query=query, body=body))
        if method == "GET" and path.startswith("/api/v2/transactions/"):
            return 200, self._ok(self._status_v2(unquote(path.removeprefix("/api/v2/transactions/"))))
        if method == "GET" and path.startswith("/api/v1/refunds/"):
            return 200, self._ok(self._refund_status(unquote(path.removeprefix("/api/v1/refunds/"))))
        raise _error(404, "Resource not found")

    @staticmethod
    def _ok(body) -> dict:
        return {
            "requestSuccessful": True,
            "responseMessage": "success",
            "responseCode": "0",
            "responseBody": body,
        }

    @staticmethod
    def _json(raw: bytes) -> dict:
        try:
            data = json.loads(raw, parse_float=Decimal)
        except ValueError:
            raise _error(400, "Invalid request body") from None
        if not isinstance(data, dict):
            raise _error(400, "Invalid request body")
        return data

    def _login(self, headers) -> tuple[int, dict]:
        expected = base64.b64encode(f"{self.api_key}:{self.secret_key}".encode()).decode()
        if headers.get("Authorization", "") != f"Basic {expected}":
            raise _error(401, "Full authentication is required to access this resource")
        token = f"eyJ{uuid.uuid4().hex}"
        with self.lock:
            self.tokens.add(token)
            self.logins += 1
        return 200, self._ok({"accessToken": token, "expiresIn": self.token_ttl})

    def _authorise(self, headers):
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        with self.lock:
            if token not in self.tokens:
                raise _error(401, "Full authentication is required to access this resource")

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

    def _init_transaction(self, *, query, body) -> dict:
        self._require(
            body,
            "amount",
            "customerEmail",
            "paymentReference",
            "paymentDescription",
            "currencyCode",
            "contractCode",
        )
        amount = self._amount(body)
        if body["contractCode"] != self.contract_code:
            raise _error(400, "Invalid contract code")
        with self.lock:
            if body["paymentReference"] in self.by_payment_reference:
                raise _error(400, f"Duplicate payment reference {body['paymentReference']}")
            now = _now()
            reference = f"MNFY|{now:%Y%m%d%H%M%S}|{self._next_sequence():06d}"
            self.transactions[reference] = {
                "transactionReference": reference,
                "paymentReference": body["paymentReference"],
                "amount": amount,
                "amountPaid": Decimal("0"),
                "paymentStatus": "PENDING",
                "paymentMethod": None,
                "paymentDescription": body["paymentDescription"],
                "customerName": body.get("customerName") or "",
                "customerEmail": body["customerEmail"],
                "metaData": body.get("metaData") or {},
                "redirectUrl": body.get("redirectUrl") or "",
                "createdOn": now,
                "paidOn": None,
                "accountNumber": None,
            }
            self.by_payment_reference[body["paymentReference"]] = reference
        return {
            "transactionReference": reference,
            "paymentReference": body["paymentReference"],
            "merchantName": "AGM Simulated Merchant",
            "apiKey": self.api_key,
            "enabledPaymentMethod": ["ACCOUNT_TRANSFER", "CARD", "USSD"],
            "checkoutUrl": self.checkout_url(reference),
        }

    def _init_payment(self, *, query, body) -> dict:
        self._require(body, "transactionReference")
        with self.lock:
            txn = self.transactions.get(body["transactionReference"])
            if txn is None:
                raise _error(400, "Could not find transaction with the specified transaction reference")
            if txn["accountNumber"] is None:
                txn["accountNumber"] = f"77{random.randint(0, 99_999_999):08d}"  # noqa: S311
            bank = next((b for b in BANKS if b["code"] == body.get("bankCode")), None)
            ussd = None
            if bank and bank["ussdTemplate"]:
                ussd = (
                    bank["ussdTemplate"]
                    .replace("Amount", str(int(txn["amount"])))
                    .replace("AccountNumber", txn["accountNumber"])
                )
            return {
                "accountNumber": txn["accountNumber"],
                "accountName": txn["paymentDescription"],
                "bankName": "Providus Bank",
                "bankCode": 101,
                "accountDurationSeconds": ACCOUNT_DURATION_SECONDS,
                "ussdPayment": ussd,
                "requestTime": _now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4],
                "transactionReference": txn["transactionReference"],
                "paymentReference": txn["paymentReference"],
                "amount": _number(txn["amount"]),
                "fee": 10.00,
                "totalPayable": _number(txn["amount"]),
            }

    def _transaction_body(self, txn: dict) -> dict:
        paid = txn["amountPaid"] > 0
        account = {
            "accountName": txn["customerName"].upper(),
            "accountNumber": "******7503",
            "bankCode": "000001",
            "amountPaid": _money(txn["amountPaid"]),
        }
        return {
            "transactionReference": txn["transactionReference"],
            "paymentReference": txn["paymentReference"],
            "amountPaid": _money(txn["amountPaid"]),
            "totalPayable": _money(txn["amount"]),
            "settlementAmount": _money(txn["amountPaid"] * Decimal("0.99")),
            "paidOn": _slashed(txn["paidOn"]) if txn["paidOn"] else None,
            "paymentStatus": txn["paymentStatus"],
            "paymentDescription": txn["paymentDescription"],
            "currency": self.currency,
            "paymentMethod": txn["paymentMethod"] or "ACCOUNT_TRANSFER",
            "product": {"type": "WEB_SDK", "reference": txn["paymentReference"]},
            "cardDetails": None,
            "accountDetails": account if paid else None,
            "accountPayments": [account] if paid else [],
            "paymentSourceInformation": [account] if paid else [],
            "customer": {"email": txn["customerEmail"], "name": txn["customerName"]},
            "metaData": txn["metaData"],
        }

    def _status_v2(self, reference: str) -> dict:
        with self.lock:
            txn = self.transactions.get(reference)
            if txn is None:
                raise _error(404, "Could not find transaction with the specified transaction reference")
            return self._transaction_body(txn)

    def _query(self, *, query, body) -> dict:
        with self.lock:
            if "paymentReference" in query:
                reference = self.by_payment_reference.get(query["paymentReference"], "")
            else:
                reference = query.get("transactionReference", "")
            txn = self.transactions.get(reference)
            if txn is None:
                raise _error(404, "Could not find transaction with the specified reference")
            return self._transaction_body(txn)

    def _banks(self, *, query, body) -> list:
        return BANKS

    def _bank(self, code: str) -> dict:
        bank = next((b for b in BANKS if b["code"] == code), None)
        if bank is None:
            raise _error(400, "Invalid bank code")
        return bank

    def _validate_account(self, *, query, body) -> dict:
        number, code = query.get("accountNumber", ""), query.get("bankCode", "")
        bank = self._bank(code)
        if len(number) != 10 or not number.isdigit():
            raise _error(400, "Account number must be 10 digits")
        with self.lock:
            name = self.accounts.get((number, code))
        if name is None and self.resolve_any_account:
            name = f"SIMULATED ACCOUNT {number[-4:]}"
        if name is None:
            raise _error(400, "Could not resolve account name. Please check the account number and bank")
        return {"accountNumber": number, "accountName": name, "bankCode": code, "bankName": bank["name"]}

    def _transfer_view(self, transfer: dict) -> dict:
        view = {
            "amount": _number(transfer["amount"]),
            "reference": transfer["reference"],
            "status": transfer["status"],
            "dateCreated": transfer["createdOn"].strftime("%Y-%m-%dT%H:%M:%S.") + "000+0100",
            "totalFee": 0.00,
            "destinationAccountName": transfer["destinationAccountName"],
            "destinationBankName": transfer["destinationBankName"],
            "destinationAccountNumber": transfer["destinationAccountNumber"],
            "destinationBankCode": transfer["destinationBankCode"],
        }
        if transfer["status"] == "SUCCESS":
            view["sessionId"] = transfer["sessionId"]
        if transfer["status"] == "FAILED":
            view["comment"] = transfer["transactionDescription"]
        return view

    def _single_transfer(self, *, query, body) -> dict:
        self._require(
            body,
            "amount",
            "reference",
            "narration",
            "destinationBankCode",
            "destinationAccountNumber",
            "destinationAccountName",
            "currency",
            "sourceAccountNumber",
        )
        amount = self._amount(body)
        bank = self._bank(body["destinationBankCode"])
        if body["sourceAccountNumber"] != self.wallet_account_number:
            raise _error(400, "Invalid source account number")
        now = _now()
        with self.lock:
            if body["reference"] in self.transfers:
                raise _error(400, "Duplicate reference")
            for other in self.transfers.values():
                if (
                    other["destinationAccountNumber"] == body["destinationAccountNumber"]
                    and other["amount"] == amount
                    and now - other["createdOn"] < timedelta(minutes=2)
                ):
                    raise _error(400, "Duplicate transaction", code="D07")
            status = "PENDING_AUTHORIZATION" if self.two_factor else self.transfer_outcome
            description = "Approved or completed successfully"
            if status == "SUCCESS" and amount > self.wallet_balance:
                status = "FAILED"
            if status == "FAILED":
                description = (
                    "You do not have sufficient balance to process this request. "
                    "Please fund your account and try again."
                )
            if status == "SUCCESS":
                self.wallet_balance -= amount
            transfer = {
                "amount": amount,
                "reference": body["reference"],
                "narration": body["narration"],
                "status": status,
                "transactionReference": f"MFDS|{now:%Y%m%d%H%M%S}|{self._next_sequence():06d}",
                "transactionDescription": description,
                "destinationAccountNumber": body["destinationAccountNumber"],
                "destinationAccountName": body["destinationAccountName"],
                "destinationBankCode": bank["code"],
                "destinationBankName": bank["name"],
                "sessionId": f"0904052{random.randint(0, 10**22):023d}",  # noqa: S311
                "createdOn": now,
                "completedOn": now if status in ("SUCCESS", "FAILED") else None,
                "otp": f"{random.randint(0, 99_999_999):08d}",  # noqa: S311
            }
            self.transfers[body["reference"]] = transfer
            return self._transfer_view(transfer)

    def otp_for(self, reference: str) -> str:
        """The code Monnify would have emailed the merchant."""
        with self.lock:
            return self.transfers[reference]["otp"]

    def _validate_otp(self, *, query, body) -> dict:
        self._require(body, "reference", "authorizationCode")
        with self.lock:
            transfer = self.transfers.get(body["reference"])
            if transfer is None:
                raise _error(404, "Transfer not found")
            if transfer["status"] != "PENDING_AUTHORIZATION":
                raise _error(400, "Transfer is not awaiting authorization")
            if body["authorizationCode"] != transfer["otp"]:
                raise _error(400, "Invalid authorization code")
            transfer["status"] = self.transfer_outcome
            transfer["completedOn"] = _now()
            if transfer["status"] == "SUCCESS":
                self.wallet_balance -= transfer["amount"]
            return self._transfer_view(transfer)

    def _transfer_summary(self, *, query, body) -> dict:
        with self.lock:
            transfer = self.transfers.get(query.get("reference", ""))
            if transfer is None:
                raise _error(404, "Transfer not found")
            return {
                "amount": _number(transfer["amount"]),
                "reference": transfer["reference"],
                "narration": transfer["narration"],
                "currency": "NGN",
                "fee": 20.00,
                "twoFaEnabled": self.two_factor,
                "status": transfer["status"],
                "transactionDescription": transfer["transactionDescription"],
                "transactionReference": transfer["transactionReference"],
                "destinationBankCode": transfer["destinationBankCode"],
                "destinationAccountNumber": transfer["destinationAccountNumber"],
                "destinationAccountName": transfer["destinationAccountName"],
                "destinationBankName": transfer["destinationBankName"],
                "createdOn": _slashed(transfer["createdOn"]),
            }

    def _refund_view(self, refund: dict) -> dict:
        return {
            "refundReference": refund["refundReference"],
            "transactionReference": refund["transactionReference"],
            "refundReason": refund["refundReason"],
            "customerNote": refund["customerNote"],
            "refundAmount": _number(refund["refundAmount"]),
            "refundStatus": refund["refundStatus"],
            "refundType": refund["refundType"],
            "createdOn": _slashed(refund["createdOn"]),
            "completedOn": _slashed(refund["completedOn"]) if refund["completedOn"] else "",
            "comment": "Transaction refund is in progress."
            if refund["refundStatus"] == "IN_PROGRESS"
            else "Transaction refund completed.",
        }

    def _initiate_refund(self, *, query, body) -> dict:
        self._require(body, "transactionReference", "refundReference", "refundReason")
        with self.lock:
            txn = self.transactions.get(body["transactionReference"])
            if txn is None:
                raise _error(400, "Transaction does not exist", code="R1")
            # Money that arrived can go back, a short transfer's too (Monnify: "ask for the
            # balance or refund").
            if txn["paymentStatus"] not in ("PAID", "OVERPAID", "PARTIALLY_PAID") or not txn["amountPaid"]:
                raise _error(400, "Refund not permitted for this transaction", code="R2")
            if body["refundReference"] in self.refunds:
                raise _error(400, "Duplicate refund reference")
            amount = _decimal(body.get("refundAmount")) or txn["amountPaid"]
            if amount > txn["amountPaid"]:
                raise _error(400, "Refund amount is above the transaction amount", code="R3")
            if amount < 10:
                raise _error(400, "Refund amount is below the minimum", code="R4")
            refund = {
                "refundReference": body["refundReference"],
                "transactionReference": body["transactionReference"],
                "refundReason": body["refundReason"],
                "customerNote": body.get("customerNote") or "",
                "refundAmount": amount,
                "refundStatus": "IN_PROGRESS",
                "refundType": "FULL_REFUND" if amount == txn["amountPaid"] else "PARTIAL_REFUND",
                "createdOn": _now(),
                "completedOn": None,
            }
            self.refunds[body["refundReference"]] = refund
            return self._refund_view(refund)

    def _refund_status(self, refund_reference: str) -> dict:
        with self.lock:
            refund = self.refunds.get(refund_reference)
            if refund is None:
                raise _error(404, "Refund not found")
            return self._refund_view(refund)


class _Handler(BaseHTTPRequestHandler):
    sim: MonnifySimulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _serve(self, method: str):
        with self.sim.idle:
            self.sim.in_flight += 1
        try:
            self._answer(method)
        finally:
            with self.sim.idle:
                self.sim.in_flight -= 1
                self.sim.idle.notify_all()
            self.sim.request_finished()

    def _answer(self, method: str):
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.sim.delay_seconds:
            threading.Event().wait(self.sim.delay_seconds)
        try:
            status, body = self.sim.handle(method, parts.path, query, self.headers, raw)
        except _Reply as reply:
            status, body = reply.status, reply.body
        if body is None:
            payload, content_type = b"<html><body>Service Unavailable</body></html>", "text/html"
        else:
            payload, content_type = json.dumps(body, default=_number).encode(), "application/json"
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout), as it would with Monnify

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")
