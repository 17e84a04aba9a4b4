"""Storefront speed: store home, product page and search under gunicorn, each next to a
minimal Django view (bench/urls.py) served by the same gunicorn in the same run.

Seeds a SQLite file (one store, --products products), starts gunicorn (--workers sync
workers) on a free loopback port, fires a bounded number of GETs at each page with
--concurrency client threads (after 20 untimed ones), prints requests/s, p50, p95 and p99
latency and the ratio to the minimal view. Runs twice: with the page cache on Redis (how
production serves a page that has not changed) and with the cache off (every request renders
from the database).

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/storefront.py \
        [--requests 400] [--concurrency 8] [--workers 2] [--products 50]
"""

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

MINIMAL = "/bench/minimal"


def seed(products: int) -> tuple[str, str]:
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


def run(env: dict, pages: dict, args, log_name: str) -> None:
    with harness.gunicorn(env, workers=args.workers, ready_path=MINIMAL, log_name=log_name) as base:
        for name, path in pages.items():
            # The minimal view is measured next to each page so that both see the same load on the
            # machine, and the ratio stays meaningful when other work runs.
            minimal = get(base + MINIMAL, "  minimal view", args)
            page = get(base + path, f"  {name}", args)
            harness.print_row(minimal)
            harness.print_row(page, ceiling=minimal)


def get(url: str, label: str, args) -> harness.Result:
    return harness.measure(
        label,
        lambda _index: requests.Request("GET", url),
        count=args.requests,
        concurrency=args.concurrency,
        warmup=harness.WARMUP_REQUESTS,
    )


def main() -> None:
    parser = harness.argument_parser(__doc__, requests=400, concurrency=8, workers=2)
    parser.add_argument("--products", type=harness.bounded_int(1, 5000), default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
            CELERY_TASK_ALWAYS_EAGER="true",
            BCRYPT_ROUNDS="4",
            PYTHONWARNINGS="ignore::UserWarning",  # no collected static files: not under test
        )
        harness.migrate(env)
        with harness.django_in_process(env):
            username, product_id = seed(args.products)
        pages = {
            "store home": f"/{username}",
            "product page": f"/{username}/p/{product_id}",
            "search": f"/{username}?q=leather&sort=price_asc",
        }
        print(
            f"gunicorn, {args.workers} sync workers; {args.requests} requests per page, "
            f"{args.concurrency} concurrent clients; SQLite, {args.products} products"
        )
        harness.print_header()
        print("page cache on (Redis):")
        run(env, pages, args, "storefront-cache-on")
        print("page cache off (every request rendered from the database):")
        run({**env, "BENCH_PAGE_CACHE": "off"}, pages, args, "storefront-cache-off")


if __name__ == "__main__":
    main()
