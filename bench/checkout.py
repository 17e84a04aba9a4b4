"""Checkout throughput under contention: many shoppers buying the same product at once.

Serves the app with gunicorn on a MariaDB database of its own, fires concurrent
`POST /api/v1/orders` for ONE product (every order locks the same row), and, in the same run,
`GET /robots.txt` (a minimal Django view, after 20 untimed requests) as the ceiling. Then
checks the outcome: as many orders as there was stock, the stock at zero or above, never
below; exits 1 otherwise.

    DB_NAME=agm_orders_bench .venv/bin/python bench/checkout.py [--requests 600] [--concurrency 32]
        [--workers 4] [--stock 400]

Creates the database DB_NAME (MariaDB/MySQL on DB_HOST, default 127.0.0.1, root, no password,
like the test suite), refusing one that exists, and drops it at the end.
"""

import json
import os
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness


def seed(stock: int):
    from accounts.models import User
    from catalog.models import Product
    from stores.models import Store

    user = User.objects.create_user("bench@example.com", "bench-Passw0rd", full_name="Bench")
    store = Store.objects.create(user=user, username="bench-store", display_name="Bench store")
    product = Product.objects.create(store=store, name="Hot item", price="2500.00", stock_quantity=stock)
    return store, product


def main(argv=None) -> bool:
    parser = harness.argument_parser(__doc__, requests=600, concurrency=32, workers=4)
    parser.add_argument("--stock", type=harness.bounded_int(1, 20000), default=400)
    args = parser.parse_args(argv)

    env = harness.mariadb_environment(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        DB_NAME=os.environ.get("DB_NAME", "agm_orders_bench"),
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
    )
    with harness.mariadb_database(env), harness.django_in_process(env):
        store, product = seed(args.stock)
        server = harness.gunicorn(env, workers=args.workers, ready_path="/robots.txt", log_name="checkout")
        with server as base:
            ceiling = harness.measure(
                "ceiling: GET /robots.txt",
                lambda _index: requests.Request("GET", f"{base}/robots.txt"),
                count=args.requests,
                concurrency=args.concurrency,
                warmup=harness.WARMUP_REQUESTS,
            )

            def checkout(index):
                body = {
                    "storeUsername": store.username,
                    "customerName": f"Shopper {index}",
                    "customerPhone": f"0803{index:07d}",
                    "deliveryMethod": "pickup",
                    "items": [{"productId": product.pk, "quantity": 1}],
                }
                return requests.Request(
                    "POST",
                    f"{base}/api/v1/orders",
                    data=json.dumps(body),
                    headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
                )

            result = harness.measure(
                "checkout: one product, contended",
                checkout,
                count=args.requests,
                concurrency=args.concurrency,
            )

        from orders.models import Order

        product.refresh_from_db()
        placed = Order.objects.filter(store=store).count()

    print(
        f"{args.requests} checkouts of one product (stock {args.stock}), {args.concurrency} concurrent "
        f"clients, gunicorn {args.workers} sync workers, MariaDB database {env['DB_NAME']}"
    )
    harness.print_header()
    harness.print_row(ceiling)
    harness.print_row(result, ceiling=ceiling)
    # Orders beyond the stock are refused (409); none may be placed without stock, none lost.
    consistent = placed == min(args.requests, args.stock) and product.stock_quantity == args.stock - placed
    print(
        f"orders placed {placed}, stock left {product.stock_quantity}: "
        + ("consistent" if consistent else "INCONSISTENT")
    )
    return consistent


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
