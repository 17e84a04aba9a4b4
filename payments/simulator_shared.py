"""The built-in Monnify simulator shared by every process: its state in the database.

Without Monnify keys each process (gunicorn workers, a Celery worker) runs the simulator's HTTP
server on its own port, but they all keep one state, the `SimulatorState` row: every operation
takes that row's lock (`SELECT … FOR UPDATE`), loads the state, runs, and writes it back in one
transaction, so a transaction opened through one process is paid and re-queried through any
other. Webhooks go to MONNIFY_SIMULATOR_WEBHOOK_URL (from settings, never from a request's Host
header), and the hosted payment page for card and USSD is a page of this app
(`payments.views.simulator_checkout`) at SITE_URL, so it outlives any one process.

Tests use `MonnifySimulator` itself (state in memory) as their Monnify.
"""

import contextlib
import sys
import threading
from datetime import datetime
from decimal import Decimal

import requests
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.urls import reverse

from payments.models import SimulatorState
from payments.simulator import MonnifySimulator, _Reply

DEFAULT_ACCOUNTS = [
    ["0123456789", "058", "ADAEZE OKAFOR"],
    ["2085096393", "057", "MARVELOUS BENJI"],
    ["0068687503", "232", "DAMILARE SAMUEL OGUNNAIKE"],
]


def _pack(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {key: _pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_pack(item) for item in value]
    return value


def _unpack(value):
    if isinstance(value, dict):
        if value.keys() == {"$decimal"}:
            return Decimal(value["$decimal"])
        if value.keys() == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        return {key: _unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unpack(item) for item in value]
    return value


class _SharedStateLock:
    """Re-entrant like the simulator's RLock; the outermost hold is one database transaction on
    the state row, loaded on entry and saved on exit."""

    def __init__(self, simulator: "SharedMonnifySimulator"):
        self.simulator = simulator
        self.local = threading.RLock()
        self.depth = 0
        self.atomic: transaction.Atomic | None = None

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not self.local.acquire(blocking, timeout):
            return False
        self.depth += 1
        if self.depth == 1:
            try:
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                self.simulator._load(self._row().state)
            except BaseException:
                self._end(save=False, exc_info=sys.exc_info())
                raise
        return True

    def release(self) -> None:
        if self.depth == 1:
            self._end(save=True)
        else:
            self.depth -= 1
            self.local.release()

    def _end(self, *, save: bool, exc_info=(None, None, None)) -> None:
        try:
            if save:
                SimulatorState.objects.filter(pk=1).update(state=self.simulator._dump())
            if self.atomic is not None:
                self.atomic.__exit__(*exc_info)
        finally:
            self.atomic = None
            self.depth -= 1
            self.local.release()

    @staticmethod
    def _row() -> SimulatorState:
        try:
            return SimulatorState.objects.select_for_update().get(pk=1)
        except SimulatorState.DoesNotExist:
            try:
                with transaction.atomic():
                    SimulatorState.objects.create(pk=1, state={})
            except IntegrityError:
                pass  # another process created it first
            return SimulatorState.objects.select_for_update().get(pk=1)

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()


class SharedMonnifySimulator(MonnifySimulator):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lock = _SharedStateLock(self)
        # Requests in flight are this process's own: a plain condition, no database.
        self.idle = threading.Condition(threading.RLock())

    def reset(self):
        """Only what is this process's own; the shared state is never wiped by a process starting."""
        self.token_ttl = self.default_token_ttl
        self.failures: list[tuple[str, int]] = []
        self.delay_seconds = 0.0
        self.requests: list[tuple[str, str]] = []

    def _load(self, state: dict) -> None:
        state = _unpack(state)
        self.tokens = set(state.get("tokens", []))
        self.transactions = state.get("transactions", {})
        self.by_payment_reference = state.get("by_payment_reference", {})
        self.accounts = {
            (number, code): name for number, code, name in state.get("accounts", DEFAULT_ACCOUNTS)
        }
        self.transfers = state.get("transfers", {})
        self.refunds = state.get("refunds", {})
        self.wallet_balance = state.get("wallet_balance", Decimal("1000000.00"))
        self.two_factor = state.get("two_factor", False)
        self.transfer_outcome = state.get("transfer_outcome", "SUCCESS")
        self.currency = state.get("currency", "NGN")
        self.sequence_value = state.get("sequence", 0)
        self.logins = state.get("logins", 0)

    def _dump(self) -> dict:
        return _pack(
            {
                "tokens": sorted(self.tokens),
                "transactions": self.transactions,
                "by_payment_reference": self.by_payment_reference,
                "accounts": [[number, code, name] for (number, code), name in self.accounts.items()],
                "transfers": self.transfers,
                "refunds": self.refunds,
                "wallet_balance": self.wallet_balance,
                "two_factor": self.two_factor,
                "transfer_outcome": self.transfer_outcome,
                "currency": self.currency,
                "sequence": self.sequence_value,
                "logins": self.logins,
            }
        )

    def handle(self, method, path, query, headers, raw):
        try:
            with self.lock:
                return super().handle(method, path, query, headers, raw)
        except DatabaseError:
            # The state cannot be read: answer as Monnify does when it is having trouble.
            raise _Reply(503, None) from None

    def checkout_url(self, reference: str) -> str:
        return f"{settings.SITE_URL}{reverse('simulator-checkout', args=[reference])}"

    def request_finished(self) -> None:
        connections.close_all()  # this request's thread's connection only


_embedded: SharedMonnifySimulator | None = None
_embedded_lock = threading.Lock()


def embedded_simulator() -> SharedMonnifySimulator:
    """The simulator the app talks to when MONNIFY_API_KEY is empty (a server per process, one state)."""
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            simulator = SharedMonnifySimulator(resolve_any_account=True)
            simulator.start()
            _embedded = simulator
        return _embedded


def webhook_url() -> str:
    return settings.MONNIFY_SIMULATOR_WEBHOOK_URL or f"{settings.SITE_URL}{reverse('monnify-webhook')}"


def _notify(event: dict) -> None:
    simulator = embedded_simulator()
    # As with Monnify, a lost webhook is what the periodic re-query is for.
    with contextlib.suppress(requests.RequestException):
        simulator.send_webhook(webhook_url(), event)


def simulated_payment(*, transaction_reference: str, method: str = "ACCOUNT_TRANSFER") -> None:
    """The shopper pays what is due by `method`; Monnify's webhook follows, as it does, from
    elsewhere (a thread: this process may be the one that has to answer it)."""
    simulator = embedded_simulator()
    simulator.pay(transaction_reference, method=method)
    event = simulator.transaction_event(transaction_reference)
    threading.Thread(target=_notify, args=(event,), name="monnify-simulator-webhook", daemon=True).start()


def simulated_checkout(*, transaction_reference: str) -> dict | None:
    """What the hosted payment page shows: the transaction, or None when there is none."""
    simulator = embedded_simulator()
    with simulator.lock:
        reference = simulator.by_payment_reference.get(transaction_reference, transaction_reference)
        txn = simulator.transactions.get(reference)
        return dict(txn) if txn is not None else None
