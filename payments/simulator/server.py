"""The simulator's HTTP side: lifecycle, login and tokens, fault injection, routing, webhooks."""

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

import requests

from payments.simulator.collections import Collections
from payments.simulator.common import _error, _number, _Reply
from payments.simulator.refunds import Refunds
from payments.simulator.transfers import Transfers

if TYPE_CHECKING:
    from payments.monnify import MonnifyConfig


class MonnifySimulator(Collections, Transfers, Refunds):
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

    def config(self, *, timeout: float = 5) -> "MonnifyConfig":
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

    def wait_idle(self, timeout: float = 10.0):
        """Returns once no request is being answered; AssertionError after `timeout` seconds."""
        with self.idle:
            if not self.idle.wait_for(lambda: self.in_flight == 0, timeout=timeout):
                raise AssertionError(f"the simulator is still answering {self.in_flight} request(s)")

    def count(self, method: str, path_prefix: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if m == method and p.startswith(path_prefix))

    # --- webhooks -------------------------------------------------------------------------------

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret_key.encode(), body, hashlib.sha512).hexdigest()

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
