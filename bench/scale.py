"""Order-side pages at size: one merchant with --orders orders (100,000 by default).

Seeds a MariaDB database of its own in bulk (bench/scale_seed.py: LOAD DATA of orders, 1.8
items each, a payment each, a ledger entry per paid order, 5 orders per customer phone, 2,000
products, then the customer table and the running balance set from them), prints the EXPLAIN
of every query each page runs on the big tables, measures every order-side dashboard page and
API list in-process (p50/p95 and the database's share, beside a minimal Django view) and served
by gunicorn (p50/p95 and requests/s next to the minimal view measured just before it), then
streams the whole orders CSV in-process and reports rows/s and the peak Python memory it took.
Figures are kept in bench/results/scale-<orders>.json and each run prints the growth from the
smallest other size measured, so runs at 100 and 1,000,000 orders give the growth per page.

    DB_NAME=agm_scale_bench .venv/bin/python bench/scale.py [--orders 100000] [--requests 200]
        [--concurrency 4] [--workers 2] [--keep | --seed-only] [--reuse]

Creates DB_NAME (MariaDB on DB_HOST, default 127.0.0.1, root, no password) and drops it at the
end, unless --keep (or --seed-only, which measures nothing). --reuse measures a DB_NAME that an
earlier --keep run seeded with the same --orders (migrated to the current schema first); any
other existing database is refused untouched. Seeding 1,000,000 orders is disk-bound on
MariaDB's default 128 MiB buffer pool (README "Scale": 7.7 minutes with the pool at 4 GiB while
loading; run it with `nice -n 10` on a shared machine).
"""

import json
import os
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, scale_seed

MINIMAL = "/bench/minimal"


def pages(store, user) -> dict[str, tuple[str, str]]:
    """name -> (kind, path); kind is "page" (session) or "api" (bearer token)."""
    from orders.models import Order
    from orders.selectors import order_page_for_owner

    deep = order_page_for_owner(user=user, limit=25)
    # A cursor half-way down: what "Older" gives after thousands of clicks.
    middle = Order.objects.filter(store=store).order_by("-created_at", "-order_number")
    boundary = middle.values_list("created_at", "order_number")[Order.objects.count() // 2]
    from config.keyset import cursor_encode

    half = cursor_encode(boundary[0], boundary[1], newer=False)
    some = (
        Order.objects.filter(store=store).order_by("created_at").values("customer_phone", "order_number")[7]
    )
    assert deep.object_list
    return {
        "orders list, page 1": ("page", "/dashboard/orders/"),
        "orders list, half-way (cursor)": ("page", f"/dashboard/orders/?cursor={half}"),
        "orders, status=pending": ("page", "/dashboard/orders/?status=pending"),
        "orders, payment=expired": ("page", "/dashboard/orders/?payment_status=expired"),
        "orders, last 30 days": ("page", "/dashboard/orders/?date_from=" + _days_ago(30)),
        "orders search: phone": ("page", "/dashboard/orders/?q=0" + some["customer_phone"][4:]),
        "orders search: order number": ("page", "/dashboard/orders/?q=" + some["order_number"]),
        "orders search: name prefix": ("page", "/dashboard/orders/?q=Chidi+Bel"),
        "customers page": ("page", "/dashboard/orders/customers"),
        "customers search: name prefix": ("page", "/dashboard/orders/customers?q=Kemi"),
        "payments page (balance)": ("page", "/dashboard/payments/"),
        "order detail": ("page", f"/dashboard/orders/{deep.object_list[0].pk}"),
        "API orders ?page=1": ("api", "/api/v1/orders?limit=20"),
        "API orders ?cursor= half-way": ("api", f"/api/v1/orders?limit=20&cursor={half}"),
        "API orders ?status=shipped": ("api", "/api/v1/orders?status=shipped&cursor="),
        "API customers": ("api", "/api/v1/orders/customers"),
        "API payments": ("api", "/api/v1/payments"),
        "API balance": ("api", "/api/v1/payments/balance"),
    }


def _days_ago(days: int) -> str:
    from django.utils import timezone

    return str(timezone.localdate() - timedelta(days=days))


IN_PROCESS_REQUESTS = 30


def in_process(user, token: str, paths: dict) -> dict[str, dict]:
    """Per page: its queries, and p50/p95 of IN_PROCESS_REQUESTS sequential requests through
    Django's test client in this process (no server, no queueing: the page's own cost) and the
    database's share of that time, beside the minimal view measured the same way just before."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    figures = {}
    for name, (kind, path) in paths.items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if kind == "api" else {}
        minimal = _timed(client, MINIMAL, {})[0]
        latencies, sql = _timed(client, path, headers)
        with CaptureQueriesContext(connection) as context:
            response = client.get(path, **headers)
        assert response.status_code == 200, (name, response.status_code)
        figures[name] = {
            "queries": len(context),
            "p50": _percentile(latencies, 50),
            "p95": _percentile(latencies, 95),
            "sql_p50": _percentile(sql, 50),
            "ceiling_p50": _percentile(minimal, 50),
        }
    return figures


def _timed(client, path: str, headers: dict) -> tuple[list[float], list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, **headers)  # warm: templates, connection
    latencies, sql = [], []
    for _ in range(IN_PROCESS_REQUESTS):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            client.get(path, **headers)
            latencies.append(time.perf_counter() - started)
        sql.append(sum(float(query["time"]) for query in context.captured_queries))
    return latencies, sql


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1] * 1000


TABLES = ("`orders`", "`orders_customers`", "`payments`", "`ledger_entries`")


def explain_plans(user, token: str, paths: dict) -> None:
    """EXPLAIN of every query each page runs on the big tables, as it ran: the index read, the
    access type (range, ref, const), MariaDB's row estimate and its notes (filesort, temporary)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    print("EXPLAIN of each page's queries on orders, customers, payments and the ledger:")
    for name, (kind, path) in paths.items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if kind == "api" else {}
        with CaptureQueriesContext(connection) as context:
            client.get(path, **headers)
        for query in context.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(f"FROM {table}" in sql for table in TABLES):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                columns = [column[0] for column in cursor.description]
                plans = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            shape = (
                "count" if sql.startswith("SELECT COUNT") else "keys" if "AS `pk`, " in sql[:40] else "rows"
            )
            steps = "; ".join(
                f"{plan['table']} {plan['type']} {plan['key']} rows={plan['rows']} {plan['Extra'] or '-'}"
                for plan in plans
                if plan["table"] and not plan["table"].startswith("<")
            )
            print(f"  {name:<34} {shape:<5} {steps}")


def export_figures(user) -> tuple[int, float, float, float]:
    from orders import exports
    from orders.selectors import owner_store_ids

    store_ids = owner_store_ids(user=user)
    started, cpu = time.perf_counter(), time.process_time()
    lines = sum(piece.count("\r\n") for piece in exports.csv_chunks(store_ids=store_ids, filters={}))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # Memory on a second pass: tracemalloc slows Python down several times.
    tracemalloc.start()
    sum(1 for _ in exports.csv_chunks(store_ids=store_ids, filters={}))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return lines - 1, seconds, cpu, peak


@contextmanager
def bench_database(env: dict, *, keep: bool, reuse: bool) -> Iterator[bool]:
    """DB_NAME, created and migrated (yields True: seed it), or with --reuse one an earlier
    --keep run of this script seeded, migrated to the current schema (yields False). Dropped at
    the end unless --keep; any other existing database is refused untouched."""
    import MySQLdb

    name = env["DB_NAME"]
    if not re.fullmatch(r"\w+", name):
        raise SystemExit(f"DB_NAME {name!r}: letters, digits and underscores only")
    server = MySQLdb.connect(
        host=env.get("DB_HOST", harness.LOOPBACK),
        port=int(env.get("DB_PORT", "3306")),
        user=env.get("DB_USER", "root"),
        passwd=env.get("DB_PASSWORD", ""),
    )
    cursor = server.cursor()
    cursor.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name])
    exists = cursor.fetchone() is not None
    if exists and not reuse:
        raise SystemExit(
            f"database {name} exists: pass --reuse if this script seeded it, or set another DB_NAME"
        )
    if reuse and not exists:
        raise SystemExit(f"--reuse: database {name} does not exist (seed it with --keep first)")
    if exists:
        cursor.execute(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
            [name, scale_seed.MARKER_TABLE],
        )
        if cursor.fetchone() is None:
            raise SystemExit(f"database {name} was not seeded by bench/scale.py: refusing to touch it")
    else:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        harness.migrate(env)
        # The pages render with the hashed static files' manifest (DEBUG off), as served.
        harness.collectstatic(env)
        yield not exists
    finally:
        if not keep:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        server.close()


def seeded(total: int):
    """The merchant and store of a reused database, which must hold `total` orders."""
    from django.db import connection

    from accounts.models import User
    from stores.models import Store

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT orders FROM {scale_seed.MARKER_TABLE}")
        held = cursor.fetchone()[0]
    if held != total:
        raise SystemExit(f"the database holds a seed of {held:,} orders, not --orders {total:,}")
    user = User.objects.get(email="bench@example.com")
    return user, Store.objects.get(user=user)


def main() -> None:
    parser = harness.argument_parser(__doc__, requests=200, concurrency=4, workers=2)
    parser.add_argument("--orders", type=harness.bounded_int(100, 1_000_000), default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep DB_NAME and its seed afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure DB_NAME seeded by a --keep run")
    parser.add_argument("--seed-only", action="store_true", help="seed and keep DB_NAME, measure nothing")
    parser.add_argument("--export-only", action="store_true", help="measure the CSV export alone")
    parser.add_argument("--skip-export", action="store_true", help="measure the pages alone")
    args = parser.parse_args()
    # Importing the app on a busy 2-core machine right after a bulk seed can take longer.
    harness.STARTUP_SECONDS = 120
    env = harness.mariadb_environment(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DB_NAME=os.environ.get("DB_NAME", "agm_scale_bench"),
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
        BENCH_PAGE_CACHE="off",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    keep = args.keep or args.seed_only
    with bench_database(env, keep=keep, reuse=args.reuse) as fresh, harness.django_in_process(env):
        from django.db import connection

        if fresh:
            user, store = scale_seed.seed(args.orders, database=connection.settings_dict)
        else:
            user, store = seeded(args.orders)
        if not args.seed_only and not args.export_only:
            measure_all(args, env, user, store)
        if not args.seed_only and not args.skip_export:
            rows, seconds, cpu, peak = export_figures(user)
            print(
                f"orders CSV, streamed in-process: {rows:,} rows in {seconds:.1f} s"
                f" = {rows / seconds:,.0f} rows/s ({rows / cpu:,.0f} rows per CPU second of this process;"
                f" load average {_load()}; InnoDB buffer pool {_buffer_pool()})"
            )
            print(f"  peak Python memory while streaming {peak:.1f} MiB")


def measure_all(args, env: dict, user, store) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.tokens import access_token_for

    token = access_token_for(user=user)
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    session.create()
    paths = pages(store, user)
    explain_plans(user, token, paths)
    load = os.getloadavg()
    figures: dict = {"orders": args.orders, "load": load, "buffer_pool": _buffer_pool(), "pages": {}}
    print(
        f"In-process, {IN_PROCESS_REQUESTS} sequential requests a page; load average {_load()};"
        f" InnoDB buffer pool {figures['buffer_pool']}"
    )
    print(f"{'':<36} {'q':>3} {'p50 ms':>7} {'p95 ms':>7} {'SQL p50':>7} {'minimal p50':>11}")
    local = in_process(user, token, paths)
    for name, row in local.items():
        print(
            f"  {name:<34} {row['queries']:>3} {row['p50']:>7.1f} {row['p95']:>7.1f} {row['sql_p50']:>7.1f}"
            f" {row['ceiling_p50']:>11.2f}"
        )
    figures["in_process"] = local
    print(
        f"{args.orders:,} orders of one merchant; gunicorn {args.workers} sync workers, "
        f"{args.requests} requests per page, {args.concurrency} concurrent clients, "
        f"MariaDB {env['DB_NAME']} (buffer pool {figures['buffer_pool']}); load average {_load()}"
    )
    with harness.gunicorn(env, workers=args.workers, ready_path=MINIMAL, log_name="scale") as base:
        harness.print_header()
        for name, (kind, path) in paths.items():
            headers = {"Authorization": f"Bearer {token}"} if kind == "api" else {}
            cookies = {"sessionid": session.session_key} if kind == "page" else {}
            minimal = get(base + MINIMAL, "  minimal view", args, {}, {})
            result = get(base + path, f"  {name} [{local[name]['queries']} q]", args, headers, cookies)
            harness.print_row(minimal)
            harness.print_row(result, ceiling=minimal)
            figures["pages"][name] = {
                "queries": local[name]["queries"],
                "p50": result.percentile_ms(50),
                "p95": result.percentile_ms(95),
                "ceiling_p50": minimal.percentile_ms(50),
                "ceiling_p95": minimal.percentile_ms(95),
            }
    print(f"load average after the pages {_load()}")
    save_and_compare(figures)


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _buffer_pool() -> str:
    """MariaDB's InnoDB buffer pool, printed with the figures: at 1,000,000 orders it decides
    whether a read beyond the recent pages comes from memory or from disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT @@innodb_buffer_pool_size")
        size = int(cursor.fetchone()[0])
    return f"{size / 2**20:,.0f} MiB"


def save_and_compare(figures: dict) -> None:
    """Keep this run's figures in bench/results/scale-<orders>.json and print the growth of each
    page from the smallest other size measured (p50 and p95 ratios, beside the ceilings' ratio)."""
    harness.RESULTS.mkdir(exist_ok=True)
    (harness.RESULTS / f"scale-{figures['orders']}.json").write_text(json.dumps(figures, indent=1))
    others = [
        json.loads(path.read_text())
        for path in harness.RESULTS.glob("scale-*.json")
        if path.stem != f"scale-{figures['orders']}"
    ]
    if not others:
        return
    base = min(others, key=lambda other: other["orders"])
    print(
        f"growth from {base['orders']:,} to {figures['orders']:,} orders: p50 and p95 ratios served"
        " (minimal view's p50 ratio), and in-process; buffer pool"
        f" {base.get('buffer_pool', 'not recorded')} then, {figures['buffer_pool']} now"
    )
    for name, now in figures["pages"].items():
        then, local, local_then = (
            base["pages"].get(name),
            figures["in_process"][name],
            base["in_process"].get(name),
        )
        if then and local_then:
            print(
                f"  {name:<34} {now['p50'] / then['p50']:5.2f}x {now['p95'] / then['p95']:5.2f}x"
                f" ({now['ceiling_p50'] / then['ceiling_p50']:5.2f}x)"
                f"   in-process {local['p50'] / local_then['p50']:5.2f}x"
                f" {local['p95'] / local_then['p95']:5.2f}x"
            )


def get(url: str, label: str, args, headers: dict, cookies: dict) -> harness.Result:
    return harness.measure(
        label,
        lambda _index: requests.Request("GET", url, headers=headers, cookies=cookies),
        count=args.requests,
        concurrency=args.concurrency,
        warmup=harness.WARMUP_REQUESTS,
    )


if __name__ == "__main__":
    main()
