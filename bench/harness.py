"""What every benchmark script shares: its common arguments, the database it creates and drops,
gunicorn on a loopback port, a bounded batch of concurrent requests, and the figures table.

Safety holds here so no script can forget it: requests go to 127.0.0.1 only, counts are
bounded by the argument parser, gunicorn is stopped and the database dropped even when the
run fails, and a database that already exists is never touched (it may hold someone's data)
unless the caller asked to keep and reuse its own (`keep`).
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS = ROOT / "bench" / "results"  # git-ignored
STARTUP_SECONDS = 30
# Long enough for a checkout queued behind 32 others on one locked row; it bounds a run's time.
REQUEST_TIMEOUT_SECONDS = 60
# Untimed requests before a measurement that may repeat: worker imports, connections, caches.
# Without them the first measurement of a run (often the ceiling) pays the server's cold start.
WARMUP_REQUESTS = 20
# Recorded as the status of a request that got no HTTP answer (refused, reset, timed out).
NO_RESPONSE = 0


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def argument_parser(doc: str, *, requests: int, concurrency: int, workers: int) -> argparse.ArgumentParser:
    """The options every script takes, with that script's defaults; it adds its own."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    # At least 20 so the percentiles mean something; at most 20000 so a run stays short.
    parser.add_argument("--requests", type=bounded_int(20, 20000), default=requests, help="per measurement")
    parser.add_argument("--concurrency", type=bounded_int(1, 128), default=concurrency, help="client threads")
    parser.add_argument("--workers", type=bounded_int(1, 16), default=workers, help="gunicorn workers")
    return parser


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def collectstatic(env: dict) -> None:
    """Pages under DEBUG=false name their CSS through the static files manifest: without it
    every page is a 500."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


@contextmanager
def django_in_process(env: dict) -> Iterator[None]:
    """Django in this process on the servers' settings, to seed data and check outcomes with the
    ORM. Its connections are closed at the end so the database can be dropped."""
    # Replaced, not merged: a variable the servers' env leaves out (DATABASE_URL) must not reach
    # these settings either.
    os.environ.clear()
    os.environ.update(env)
    import django
    from django.db import connections

    django.setup()
    try:
        yield
    finally:
        connections.close_all()


@contextmanager
def mariadb_database(env: dict, *, keep: bool = False) -> Iterator[bool]:
    """Create env's DB_NAME on MariaDB, migrate it, and drop it afterwards, whatever happens.

    With `keep` (a bench run again on the data it seeded before): an existing DB_NAME is
    migrated and used, and nothing is dropped. Yields whether the database already existed.
    """
    import MySQLdb

    name = env["DB_NAME"]
    # The name goes into SQL unquoted by the driver (identifiers cannot be parameters).
    if not re.fullmatch(r"\w+", name):
        raise SystemExit(f"DB_NAME {name!r}: letters, digits and underscores only")
    server = MySQLdb.connect(
        host=env.get("DB_HOST", LOOPBACK),
        port=int(env.get("DB_PORT", "3306")),
        user=env.get("DB_USER", "root"),
        passwd=env.get("DB_PASSWORD", ""),
    )
    try:
        cursor = server.cursor()
        cursor.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name])
        existed = bool(cursor.fetchone())
        if existed and not keep:
            raise SystemExit(
                f"database {name} exists; the bench makes and drops its own: set another DB_NAME "
                "(or pass --keep to reuse a database a --keep run left)"
            )
        if not existed:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        try:
            migrate(env)
            yield existed
        finally:
            if not keep:
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        server.close()


def mariadb_environment(**overrides: str) -> dict:
    """The caller's environment for a server on MariaDB DB_NAME. DATABASE_URL would win over DB_NAME
    in the settings and point the servers at another database than the one created and dropped."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(overrides)
    return env


def free_port() -> int:
    # The port is released before gunicorn binds it; on a loopback-only bench nothing else races for it.
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict, *, workers: int, threads: int = 1, ready_path: str, log_name: str) -> Iterator[str]:
    """config.wsgi under gunicorn on a free loopback port; yields its base URL once ready_path
    answers 200. The server is stopped when the block ends, however it ends.

    Its output (console emails and SMS, a warning per rejected request) would bury the figures,
    so it goes to bench/results/<log_name>.log, kept for reading when a status looks wrong."""
    port = free_port()
    base = f"http://{LOOPBACK}:{port}"
    log_path = RESULTS / f"{log_name}.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "config.wsgi",
                f"--bind={LOOPBACK}:{port}",
                f"--workers={workers}",
                # More than one thread turns the sync worker into gthread.
                f"--threads={threads}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(server, base + ready_path, log_path)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_ready(server: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
    raise SystemExit(f"gunicorn did not answer {url} with 200 within {STARTUP_SECONDS}s:\n{tail}")


@dataclass(frozen=True)
class Result:
    label: str
    concurrency: int
    seconds: float  # wall time of the whole batch
    latencies: list[float]  # seconds, one per request
    statuses: Counter

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, percent: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1] * 1000

    @property
    def max_ms(self) -> float:
        return max(self.latencies) * 1000


def measure(
    label: str,
    request_for: Callable[[int], requests.Request],
    *,
    count: int,
    concurrency: int,
    warmup: int = 0,
) -> Result:
    """Send request_for(0) … request_for(count - 1) from `concurrency` threads and time each.

    The request is built before its clock starts, so the figures are the server's, not the
    client's signing or encoding. `warmup` requests (indices 0 … warmup - 1 again, so only for
    requests that may repeat) run first, untimed, to open connections and fill caches.
    """
    local = threading.local()
    sessions: list[requests.Session] = []

    def send(index: int) -> tuple[float, int]:
        # One session per thread: requests.Session is not safe to share between threads.
        if not hasattr(local, "session"):
            local.session = requests.Session()
            sessions.append(local.session)
        prepared = local.session.prepare_request(request_for(index))
        started = time.perf_counter()
        try:
            status = local.session.send(prepared, timeout=REQUEST_TIMEOUT_SECONDS).status_code
        except requests.RequestException:
            status = NO_RESPONSE
        return time.perf_counter() - started, status

    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(send, range(warmup)))
            started = time.perf_counter()
            outcomes = list(pool.map(send, range(count)))
            seconds = time.perf_counter() - started
    finally:
        for session in sessions:
            session.close()
    return Result(
        label=label,
        concurrency=concurrency,
        seconds=seconds,
        latencies=[latency for latency, _ in outcomes],
        statuses=Counter(status for _, status in outcomes),
    )


def print_header() -> None:
    print(
        f"{'':<36} {'n':>6} {'c':>4} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'ceiling':>7}  statuses"
    )


def print_row(result: Result, *, ceiling: Result | None = None) -> None:
    """One result; with `ceiling` (the minimal view measured in the same run), the share of its
    requests per second this one reaches."""
    ratio = f"{result.requests_per_second / ceiling.requests_per_second:6.2f}x" if ceiling else ""
    statuses = " ".join(
        f"{'none' if status == NO_RESPONSE else status}:{count}"
        for status, count in sorted(result.statuses.items())
    )
    p50, p95, p99 = (result.percentile_ms(percent) for percent in (50, 95, 99))
    print(
        f"{result.label:<36} {result.requests:>6} {result.concurrency:>4} {result.requests_per_second:>8.1f} "
        f"{p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {result.max_ms:>7.1f} {ratio:>7}  {statuses}",
        flush=True,
    )
