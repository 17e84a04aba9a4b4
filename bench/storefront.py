"""Storefront speed: store home, product page and search under gunicorn, each next to a
minimal Django view (bench/urls.py) served by the same gunicorn in the same run.

Seeds a SQLite file (one store, --products products), starts gunicorn (--workers sync
workers) on a free loopback port, fires a bounded number of GETs at each page with
--concurrency client threads, prints requests/s, p50 and p95 latency and the ratio to
the minimal view. Runs twice: with the page cache on Redis (how production serves a page
that has not changed) and with the cache off (every request renders from the database).

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/storefront.py \
        [--requests 400] [--concurrency 8] [--workers 2] [--products 50]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed(env: dict, products: int) -> tuple[str, str]:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from accounts.models import User
    from catalog.models import Product
    from stores.models import Store

    user = User.objects.create_user("bench@example.com", "bench-Passw0rd", full_name="Bench Merchant")
    store = Store.objects.create(
        user=user,
        username="bench-store",
        display_name="Bench Store",
        description="Shoes, bags and things, delivered across Lagos.",
        custom_colors={"primary": "#0f766e"},
        social_links={"whatsapp": "+2348031234567"},
    )
    words = ["leather", "ankara", "canvas", "suede", "cotton"]
    created = [
        Product.objects.create(
            store=store,
            name=f"{words[index % 5].title()} item {index}",
            description=f"A {words[index % 5]} product, number {index}.",
            price=Decimal(1000 + 250 * index),
            compare_at_price=Decimal(2000 + 250 * index) if index % 3 == 0 else None,
            stock_quantity=index % 7,
            category=["Shoes", "Bags"][index % 2],
            images=[f"https://res.example.com/{index}.jpg"],
            is_featured=index < 4,
            variations=[{"name": "Size", "options": ["40", "41", "42"]}],
        )
        for index in range(products)
    ]
    return store.username, created[0].pk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(env: dict, port: int, workers: int) -> subprocess.Popen:
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
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/minimal", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fire(url: str, count: int, concurrency: int) -> dict:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def one(_index):
        nonlocal failures
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            failures += not ok

    for _ in range(min(20, count)):  # warm up: imports, connections, the page cache
        one(0)
    latencies.clear()
    failures = 0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": count / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "failures": failures,
    }


def run(env: dict, pages: dict, args) -> None:
    port = free_port()
    server = start(env, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        for name, path in pages.items():
            page = fire(base + path, args.requests, args.concurrency)
            ceiling = fire(base + "/bench/minimal", args.requests, args.concurrency)
            print(
                f"  {name:<13} {page['rps']:7.0f} req/s  p50 {page['p50']:6.1f} ms  p95 {page['p95']:6.1f} ms"
                f"  | minimal {ceiling['rps']:7.0f} req/s  p50 {ceiling['p50']:5.1f} ms"
                f"  | ratio {page['rps'] / ceiling['rps']:5.2f}"
                + (f"  FAILURES {page['failures']}" if page["failures"] else "")
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--products", type=int, default=50)
    args = parser.parse_args()
    args.requests = max(20, min(args.requests, 20000))

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
            CELERY_TASK_ALWAYS_EAGER="true",
            BCRYPT_ROUNDS="4",
            PYTHONWARNINGS="ignore::UserWarning",  # no collected static files: not under test
        )
        username, product_id = seed(env, args.products)
        pages = {
            "store home": f"/{username}",
            "product page": f"/{username}/p/{product_id}",
            "search": f"/{username}?q=leather&sort=price_asc",
        }
        print(
            f"gunicorn, {args.workers} sync workers; {args.requests} requests per page, "
            f"{args.concurrency} concurrent clients; SQLite, {args.products} products"
        )
        print("page cache on (Redis):")
        run(env, pages, args)
        print("page cache off (every request rendered from the database):")
        run({**env, "BENCH_PAGE_CACHE": "off"}, pages, args)


if __name__ == "__main__":
    main()
