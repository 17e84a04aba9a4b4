"""Checkout throughput under contention: many shoppers buying the same product at once.

Serves the app with gunicorn on MariaDB, fires concurrent `POST /api/v1/orders` for ONE
product (every order locks the same row), and, in the same run, `GET /robots.txt` (a
minimal Django view) as the ceiling. Then checks the outcome: as many orders as there was
stock, the stock at zero or above, never below.

    DB_NAME=agm_orders_bench .venv/bin/python bench/checkout.py [--requests 600] [--concurrency 32]
        [--workers 4] [--stock 400]

Needs MariaDB/MySQL on DB_HOST (default 127.0.0.1, root, no password) like the test suite.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def environment(db_name: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        DB_NAME=db_name,
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
    )
    return env


def prepare_database(env: dict, stock: int):
    import MySQLdb

    connection = MySQLdb.connect(
        host=env.get("DB_HOST", "127.0.0.1"),
        user=env.get("DB_USER", "root"),
        passwd=env.get("DB_PASSWORD", ""),
    )
    connection.cursor().execute(
        f"CREATE DATABASE IF NOT EXISTS `{env['DB_NAME']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )
    connection.close()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from accounts.models import User
    from catalog.models import Product
    from stores.models import Store

    suffix = uuid.uuid4().hex[:8]
    user = User.objects.create_user(f"bench-{suffix}@example.com", "bench-Passw0rd", full_name="Bench")
    store = Store.objects.create(user=user, username=f"bench-{suffix}", display_name="Bench store")
    product = Product.objects.create(store=store, name="Hot item", price="2500.00", stock_quantity=stock)
    return store, product


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fire(count: int, concurrency: int, make_request) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def one(index):
        request = make_request(index)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as error:
            status = error.code
            error.read()
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": count,
        "seconds": round(wall, 2),
        "rps": round(count / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "statuses": dict(sorted(statuses.items())),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--stock", type=int, default=400)
    args = parser.parse_args(argv)

    env = environment(os.environ.get("DB_NAME", "agm_orders_bench"))
    store, product = prepare_database(env, args.stock)
    port = free_port()
    server = start_server(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        ceiling = fire(
            args.requests, args.concurrency, lambda i: urllib.request.Request(f"{base}/robots.txt")
        )

        def checkout(index):
            body = {
                "storeUsername": store.username,
                "customerName": f"Shopper {index}",
                "customerPhone": f"0803{index:07d}",
                "deliveryMethod": "pickup",
                "items": [{"productId": product.pk, "quantity": 1}],
            }
            return urllib.request.Request(
                f"{base}/api/v1/orders",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
                method="POST",
            )

        result = fire(args.requests, args.concurrency, checkout)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from orders.models import Order

    product.refresh_from_db()
    placed = Order.objects.filter(store=store).count()
    report = {
        "scenario": f"{args.requests} checkouts of one product (stock {args.stock}), "
        f"{args.concurrency} concurrent clients, gunicorn {args.workers} sync workers",
        "checkout": result,
        "ceiling_robots_txt": ceiling,
        "orders_placed": placed,
        "stock_left": product.stock_quantity,
        "consistent": placed == min(args.requests, args.stock)
        and product.stock_quantity == args.stock - placed,
    }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    sys.exit(0 if main()["consistent"] else 1)
