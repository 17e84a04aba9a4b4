"""Order-side pages at size: one merchant with --orders orders (100,000 by default).

Seeds a MariaDB database of its own in bulk (multi-row INSERTs: orders, 1.8 items each,
a payment each, a ledger entry per paid order, 20 orders per customer phone, 2,000 products,
then the customer table and the running balance set from them), serves the app with gunicorn,
and measures every order-side dashboard page and API list: p50/p95 and requests/s next to a
minimal Django view measured just before it (the ceiling), and the queries each one runs
(counted in-process on the same database). Then streams the whole orders CSV in-process and
reports rows/s and the peak Python memory it took.

    DB_NAME=agm_scale_bench .venv/bin/python bench/scale.py [--orders 100000] [--requests 200]
        [--concurrency 4] [--workers 2]

Creates DB_NAME (MariaDB on DB_HOST, default 127.0.0.1, root, no password), refusing one that
exists, and drops it at the end. `--orders 1000000` takes about ten times as long to seed.
"""

import json
import os
import random
import sys
import time
import tracemalloc
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import requests

from config.money import to_kobo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

MINIMAL = "/bench/minimal"
BATCH = 5000
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"
FIRST = [
    "Ada",
    "Bola",
    "Chidi",
    "Dayo",
    "Emeka",
    "Funmi",
    "Gbenga",
    "Halima",
    "Ifeoma",
    "Jide",
    "Kemi",
    "Lola",
]
LAST = ["Okeke", "Adeyemi", "Bello", "Nwosu", "Ibrahim", "Ogunleye", "Eze", "Balogun", "Okafor", "Musa"]
STATES = ["Lagos", "Abuja", "Oyo", "Rivers", "Kano", "Enugu"]


def order_number(index: int) -> str:
    # A scrambled, unique 8-character code per index (bijective mod 32**8).
    value = (index * 2654435761 + 12345) % 32**8
    return "AGM-" + "".join(ALPHABET[(value >> (5 * k)) & 31] for k in range(8))


def insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    cursor.executemany(sql, rows)


def seed(total: int):
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from catalog.models import Product
    from stores.models import Store

    random.seed(13)
    user = User.objects.create_user("bench@example.com", "bench-Passw0rd", full_name="Bench Merchant")
    store = Store.objects.create(user=user, username="bench-store", display_name="Bench store")
    products = Product.objects.bulk_create(
        [
            Product(store=store, name=f"Item {i}", price=Decimal(1000 + 50 * (i % 200)), stock_quantity=50)
            for i in range(2000)
        ]
    )
    phones = max(total // 5, 1)
    now = timezone.now().replace(microsecond=0)
    span = timedelta(days=730).total_seconds() / max(total, 1)
    order_cols = [
        "id", "store_id", "order_number", "customer_name", "customer_email", "customer_phone",
        "customer_address", "delivery_state", "items", "subtotal", "discount", "shipping_fee",
        "agm_fee", "total", "status", "payment_status", "created_at", "updated_at",
    ]  # fmt: skip
    item_cols = ["id", "order_id", "product_id", "product_name", "product_price", "quantity", "subtotal"]
    payment_cols = [
        "id", "order_id", "user_id", "amount", "status", "payment_reference", "paid_at", "created_at",
        "updated_at",
    ]  # fmt: skip
    ledger_cols = [
        "id",
        "merchant_id",
        "kind",
        "amount",
        "reference",
        "payment_id",
        "description",
        "created_at",
    ]
    started = time.monotonic()
    cursor = connection.cursor()
    for start in range(0, total, BATCH):
        orders, items, payments, ledger = [], [], [], []
        for index in range(start, min(start + BATCH, total)):
            phone = index % phones
            name = f"{FIRST[phone % len(FIRST)]} {LAST[(phone // len(FIRST)) % len(LAST)]} {phone}"
            created = now - timedelta(seconds=int((total - index) * span))
            roll = random.random()
            paid = roll < 0.84
            status = (
                random.choice(["confirmed", "processing", "shipped", "delivered", "fulfilled"])
                if paid
                else ("pending" if roll < 0.92 else "cancelled")
            )
            payment_status = "paid" if paid else ("pending" if status == "pending" else "expired")
            order_id = str(uuid.uuid4())
            lines = 1 + (index % 5 == 0) + (index % 5 in (1, 2, 3))
            subtotal = Decimal(0)
            snapshot = []
            for _line in range(lines):
                product = products[random.randrange(len(products))]
                subtotal += product.price
                snapshot.append(
                    {"product_id": product.pk, "quantity": 1, "product_price": str(product.price)}
                )
                items.append(
                    (str(uuid.uuid4()), order_id, product.pk, product.name, product.price, 1, product.price)
                )
            fee = to_kobo(subtotal * Decimal("0.025"))
            orders.append(
                (
                    order_id, store.pk, order_number(index), name, f"c{phone}@example.com",
                    f"+23480{phone:08d}", json.dumps({"delivery_method": "delivery"}),
                    STATES[phone % len(STATES)], json.dumps(snapshot), subtotal, 0, 0, fee, subtotal,
                    status, payment_status, created, created,
                )
            )  # fmt: skip
            payment_id = str(uuid.uuid4())
            payments.append(
                (
                    payment_id, order_id, user.pk, subtotal, payment_status, f"PAY-{index:09d}",
                    created if paid else None, created, created,
                )
            )  # fmt: skip
            if paid:
                ledger.append(
                    (
                        str(uuid.uuid4()), user.pk, "credit_sale", subtotal - fee, f"sale:PAY-{index:09d}",
                        payment_id, "Order payment, net of the platform fee", created,
                    )
                )  # fmt: skip
        insert(cursor, "orders", order_cols, orders)
        insert(cursor, "order_items", item_cols, items)
        insert(cursor, "payments", payment_cols, payments)
        insert(cursor, "ledger_entries", ledger_cols, ledger)
        done = min(start + BATCH, total)
        print(
            f"\r  seeded {done:,}/{total:,} orders ({time.monotonic() - started:.0f} s)", end="", flush=True
        )
    # The customer table and the balance, set-based (the rebuild command does the same per row).
    cursor.execute(
        "INSERT INTO orders_customers (store_id, phone, name, email, orders_count, total_spent,"
        " first_order_at, last_order_at, updated_at)"
        " SELECT store_id, customer_phone, MAX(customer_name), COALESCE(MAX(customer_email), ''), COUNT(*),"
        " SUM(CASE WHEN status <> 'cancelled' AND payment_status <> 'refunded' THEN total ELSE 0 END),"
        " MIN(created_at), MAX(created_at), NOW() FROM orders GROUP BY store_id, customer_phone"
    )
    cursor.execute(
        "INSERT INTO merchant_balances (merchant_id, balance, updated_at)"
        " SELECT merchant_id, SUM(amount), NOW() FROM ledger_entries GROUP BY merchant_id"
    )
    cursor.execute("ANALYZE TABLE orders, order_items, payments, ledger_entries, orders_customers")
    cursor.fetchall()
    print(f"\n  seeded in {time.monotonic() - started:.0f} s")
    return user, store


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


def query_counts(user, token: str, paths: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}
    for name, (kind, path) in paths.items():
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if kind == "api" else {}
        with CaptureQueriesContext(connection) as context:
            response = client.get(path, **headers)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(context)
    return counts


def explain_plans(user) -> None:
    """EXPLAIN of each list shape's page query: the index read, and no filesort or temporary."""
    from django.db import connection

    from orders.models import Order
    from orders.selectors import order_filter, owner_store_ids

    store_id = owner_store_ids(user=user)[0]
    shapes = {
        "newest": {},
        "status": {"status": "pending"},
        "payment status": {"payment_status": "expired"},
        "phone search": {"q": "08000000007"},
        "name prefix": {"q": "Chidi Bel"},
        "order number": {"q": "AGM-AAAAAAAA"},
    }
    print("EXPLAIN of the orders page query (25 rows):")
    for name, filters in shapes.items():
        live = Order.objects.filter(store_id=store_id, deleted_at__isnull=True)
        queryset = order_filter(live, filters)[:26]
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                plan = dict(zip(columns, row, strict=True))
                print(f"  {name:<16} key={plan['key']} rows={plan['rows']} extra={plan['Extra']}")


def export_figures(user) -> tuple[int, float, float]:
    from orders import exports
    from orders.selectors import owner_store_ids

    store_ids = owner_store_ids(user=user)
    started = time.perf_counter()
    lines = sum(1 for _ in exports.csv_lines(store_ids=store_ids, filters={}))
    seconds = time.perf_counter() - started
    # Memory on a second pass: tracemalloc slows Python down several times.
    tracemalloc.start()
    sum(1 for _ in exports.csv_lines(store_ids=store_ids, filters={}))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return lines - 1, seconds, peak


def main() -> None:
    parser = harness.argument_parser(__doc__, requests=200, concurrency=4, workers=2)
    parser.add_argument("--orders", type=harness.bounded_int(100, 1_000_000), default=100_000)
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
    with harness.mariadb_database(env), harness.django_in_process(env):
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from accounts.tokens import access_token_for

        user, store = seed(args.orders)
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
        counts = query_counts(user, token, paths)
        explain_plans(user)
        print(
            f"{args.orders:,} orders of one merchant; gunicorn {args.workers} sync workers, "
            f"{args.requests} requests per page, {args.concurrency} concurrent clients, "
            f"MariaDB {env['DB_NAME']}"
        )
        with harness.gunicorn(env, workers=args.workers, ready_path=MINIMAL, log_name="scale") as base:
            harness.print_header()
            for name, (kind, path) in paths.items():
                headers = {"Authorization": f"Bearer {token}"} if kind == "api" else {}
                cookies = {"sessionid": session.session_key} if kind == "page" else {}
                minimal = get(base + MINIMAL, "  minimal view", args, {}, {})
                result = get(base + path, f"  {name} [{counts[name]} q]", args, headers, cookies)
                harness.print_row(minimal)
                harness.print_row(result, ceiling=minimal)
        rows, seconds, peak = export_figures(user)
        print(
            f"orders CSV, streamed in-process: {rows:,} rows in {seconds:.1f} s "
            f"= {rows / seconds:,.0f} rows/s"
        )
        print(f"  peak Python memory while streaming {peak:.1f} MiB")


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
