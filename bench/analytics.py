"""Analytics at scale: one merchant with --orders orders over 12 months from --customers
customers, on MariaDB, under gunicorn. Prints p50/p95 of the dashboard home, every report
and every analytics API endpoint, each next to GET /robots.txt (a minimal Django view) as
the ceiling measured in the same run. The target: the home under 100 ms p95.

    DB_NAME=agm_analytics_bench .venv/bin/python bench/analytics.py [--orders 100000]
        [--customers 20000] [--requests 200] [--concurrency 4] [--workers 2] [--keep [--rebuild]]

The orders are written in bulk (not through checkout: a hundred thousand checkouts would take
hours), in the shape the real flows leave them: items, a paid payment and its ledger credit
for each sale, some cancelled, expired and refunded. The rollups are then built by
`rollups_rebuild`, the code the rebuild command and the catch-up task run, and timed.
Creates the database DB_NAME (refusing one that exists) and drops it at the end; with --keep
it leaves the database, and a later --keep run reuses its orders instead of seeding again
(--rebuild recomputes their rollups, e.g. after a migration changed them).
"""

import datetime
import os
import random
import statistics
import sys
import time
import uuid
from decimal import Decimal
from functools import partial
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

PRODUCTS = 60
BATCH = 2000
CEILING = "/robots.txt"
MERCHANT_EMAIL = "bench@example.com"


def seed(order_count: int, customer_count: int):
    from django.db import transaction

    from accounts.models import User
    from catalog.models import Product
    from config.money import to_kobo
    from orders.models import Order, OrderItem, OrderStatus, PaymentStatus
    from payments.models import LedgerEntry, LedgerKind, MerchantBalance, Payment, Refund, RefundStatus
    from stores.models import Store

    rng = random.Random(10)
    user = User.objects.create_user(MERCHANT_EMAIL, "bench-Passw0rd", full_name="Bench Merchant")
    store = Store.objects.create(user=user, username="bench-store", display_name="Bench store")
    products = Product.objects.bulk_create(
        Product(
            store=store,
            name=f"Product {index}",
            price=Decimal(500 + 250 * index),
            stock_quantity=index % 9,
            category=["Food", "Fashion", "Beauty", "Home"][index % 4],
            view_count=rng.randint(0, 20000),
            images=[],
        )
        for index in range(PRODUCTS)
    )
    # The timestamps are the history being benchmarked: written as given, not as "now".
    for model in (Order, OrderItem, Payment, Refund, LedgerEntry):
        model._meta.get_field("created_at").auto_now_add = False
    for model in (Order, Payment, Refund):
        model._meta.get_field("updated_at").auto_now = False
    phones = [f"+234803{index:07d}" for index in range(customer_count)]
    now = datetime.datetime.now(datetime.UTC)
    start = now - datetime.timedelta(days=365)
    span = (now - start).total_seconds()
    fee_rate = Decimal("0.025")
    written, balance = 0, Decimal(0)
    while written < order_count:
        orders, items, payments, entries, refunds = [], [], [], [], []
        for index in range(written, min(written + BATCH, order_count)):
            created = start + datetime.timedelta(seconds=rng.random() * span)
            lines = rng.sample(products, rng.randint(1, 3))
            quantities = [rng.randint(1, 3) for _ in lines]
            subtotal = sum((p.price * q for p, q in zip(lines, quantities, strict=True)), Decimal(0))
            fee = to_kobo(subtotal * fee_rate)
            roll = rng.random()
            status, paid = OrderStatus.DELIVERED, PaymentStatus.PAID
            if roll < 0.08:
                status, paid = OrderStatus.CANCELLED, PaymentStatus.EXPIRED
            elif roll < 0.10:
                status, paid = OrderStatus.PENDING, PaymentStatus.PENDING
            elif roll < 0.11:
                status, paid = OrderStatus.CANCELLED, PaymentStatus.REFUNDED
            elif roll < 0.15:
                status = OrderStatus.CONFIRMED
            order = Order(
                id=str(uuid.uuid4()),
                store=store,
                order_number=f"AGM-B{index:08d}",
                customer_name=f"Customer {index % customer_count}",
                customer_phone=phones[rng.randrange(customer_count)],
                delivery_state=rng.choice(["Lagos", "Abuja FCT", "Rivers", "Oyo", "Kano"]),
                delivery_lga=rng.choice(["Ikeja", "Eti-Osa", "Surulere", "Garki", ""]),
                items=[],
                subtotal=subtotal,
                discount=Decimal(0),
                shipping_fee=Decimal(0),
                agm_fee=fee,
                total=subtotal,
                status=status,
                payment_status=paid,
                created_at=created,
                updated_at=created,
            )
            orders.append(order)
            for product, quantity in zip(lines, quantities, strict=True):
                items.append(
                    OrderItem(
                        order=order,
                        product=product,
                        product_name=product.name,
                        product_price=product.price,
                        quantity=quantity,
                        subtotal=product.price * quantity,
                        created_at=created,
                    )
                )
            if paid in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
                payment = Payment(
                    id=str(uuid.uuid4()),
                    order=order,
                    user=user,
                    amount=subtotal,
                    status=paid,
                    payment_method="bank_transfer",
                    payment_reference=f"AGM-P{index:010d}",
                    metadata={},
                    paid_at=created,
                    created_at=created,
                    updated_at=created,
                )
                payments.append(payment)
                entries.append(
                    LedgerEntry(
                        merchant=user,
                        kind=LedgerKind.CREDIT_SALE,
                        amount=subtotal - fee,
                        reference=f"sale:{payment.payment_reference}",
                        payment=payment,
                        created_at=created,
                    )
                )
                if paid == PaymentStatus.REFUNDED:
                    refunds.append(
                        Refund(
                            payment=payment,
                            merchant=user,
                            amount=subtotal,
                            reference=f"AGM-R{index:010d}",
                            status=RefundStatus.COMPLETED,
                            reason="Order cancelled",
                            created_at=created + datetime.timedelta(hours=2),
                            updated_at=created + datetime.timedelta(hours=2),
                        )
                    )
        # One transaction per batch: one log flush for its five inserts, not five.
        with transaction.atomic():
            Order.objects.bulk_create(orders, batch_size=BATCH)
            OrderItem.objects.bulk_create(items, batch_size=BATCH)
            Payment.objects.bulk_create(payments, batch_size=BATCH)
            LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
            Refund.objects.bulk_create(refunds, batch_size=BATCH)
        written += len(orders)
        balance += sum((entry.amount for entry in entries), Decimal(0))
        print(f"  seeded {written}/{order_count} orders", end="\r", flush=True)
    print()
    # ledger_book keeps this running figure beside every entry; bulk inserts bypass it.
    MerchantBalance.objects.create(merchant=user, balance=balance)
    return user, store


def print_queries(user, paths: list[str], *, top: int, renders: int = 10) -> None:
    """Each page rendered in this process `renders` times right after a catch-up (so the
    rollups are read, not the figures kept since the last one) and as many times again from
    what it kept: p50 and max of each, the queries of a cold render and the `top` slowest."""
    from django.db import connection
    from django.test import Client

    from analytics.services import rollups_catch_up

    client = Client()
    client.force_login(user)
    for path in paths:
        cold, warm = [], []
        for _render in range(renders):
            rollups_catch_up()
            timed: list[tuple[float, str]] = []  # the last cold render's queries
            with connection.execute_wrapper(partial(_timed, timed)):
                cold.append(_render_ms(client, path))
            warm.append(_render_ms(client, path))
        timed.sort(reverse=True)
        print(
            f"{path} in process: after a catch-up p50 {statistics.median(cold):.1f} ms, max "
            f"{max(cold):.1f} ms ({len(timed)} queries, {sum(ms for ms, _sql in timed):.1f} ms in SQL); "
            f"kept figures p50 {statistics.median(warm):.1f} ms, max {max(warm):.1f} ms"
        )
        for ms, sql in timed[:top]:
            print(f"  {ms:7.1f} ms  {sql[:200]}")


def _timed(timed: list, execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        timed.append(((time.perf_counter() - started) * 1000, sql))


def _render_ms(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path, HTTP_HOST=harness.LOOPBACK)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - started) * 1000


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main(argv=None) -> bool:
    parser = harness.argument_parser(__doc__, requests=200, concurrency=4, workers=2)
    parser.add_argument("--orders", type=harness.bounded_int(100, 1_000_000), default=100_000)
    parser.add_argument("--customers", type=harness.bounded_int(10, 200_000), default=20_000)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep DB_NAME at the end, and reuse its orders if it exists (seed once, measure often)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the rollups of a reused database")
    parser.add_argument(
        "--queries",
        type=harness.bounded_int(0, 100),
        default=8,
        help="print the home's N slowest queries, timed in this process (0: none)",
    )
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    args = parser.parse_args(argv)

    env = harness.mariadb_environment(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        DB_NAME=os.environ.get("DB_NAME", "agm_analytics_bench"),
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
        # As in production: a beat keeps the rollups up to date, so pages only read them (on the
        # embedded defaults every page would run the catch-up first), and the cache is Redis.
        USE_REDIS="true",
    )
    with harness.mariadb_database(env, keep=args.keep) as existed, harness.django_in_process(env):
        from django.conf import settings
        from rest_framework_simplejwt.tokens import AccessToken

        from accounts.models import User
        from analytics.services import rollups_catch_up, rollups_rebuild
        from tests.analytics.pages import API_PATHS, HOME, REPORT_SLUGS, report_path

        user = User.objects.filter(email=MERCHANT_EMAIL).first() if existed else None
        seeded = user is None
        if seeded:
            started = time.perf_counter()
            user, _store = seed(args.orders, args.customers)
            seconds = time.perf_counter() - started
            print(f"seeded {args.orders} orders, {args.customers} customers in {seconds:.0f} s")
        else:
            print(f"reusing the orders seeded in {env['DB_NAME']} ({user.email})")
        if seeded or args.rebuild:
            started = time.perf_counter()
            days = rollups_rebuild()  # every store (there is one): this also starts the watermark
            print(f"rollups_rebuild: {days} store-days in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        days = rollups_catch_up()
        milliseconds = (time.perf_counter() - started) * 1000
        print(f"rollups_catch_up, a minute later: {days} store-days in {milliseconds:.0f} ms")

        harness.collectstatic(env)
        if args.queries:
            print_queries(user, [HOME, f"{HOME}?period=this_year"], top=args.queries)
        cookie = {settings.SESSION_COOKIE_NAME: session_cookie(user)}
        bearer = {"Authorization": f"Bearer {AccessToken.for_user(user)}"}
        pages = {
            "home (30 days)": (HOME, cookie),
            "home (this year)": (f"{HOME}?period=this_year", cookie),
        }
        for slug in REPORT_SLUGS:
            pages[f"report {slug} (30 days)"] = (report_path(slug), cookie)
        pages["report customers (this year)"] = (f"{report_path('customers')}?period=this_year", cookie)
        for path in API_PATHS:
            pages[f"API {path.removeprefix('/api/v1/analytics/')} (month)"] = (path, bearer)
        pages["API dashboard (year)"] = ("/api/v1/analytics/dashboard?period=year", bearer)

        if args.only:
            pages = {label: spec for label, spec in pages.items() if args.only in label}
        server = harness.gunicorn(env, workers=args.workers, ready_path=CEILING, log_name="analytics")
        with server as base:
            harness.print_header()
            for label, (path, auth) in pages.items():
                ceiling = get(base + CEILING, "  ceiling: GET /robots.txt", {}, args)
                result = get(base + path, f"  {label}", auth, args)
                harness.print_row(ceiling)
                harness.print_row(result, ceiling=ceiling)
                if set(result.statuses) != {200}:
                    print(f"unexpected statuses for {path}: {dict(result.statuses)}")
                    return False
    return True


def get(url: str, label: str, auth: dict, args) -> harness.Result:
    cookies = {k: v for k, v in auth.items() if k != "Authorization"}
    headers = {k: v for k, v in auth.items() if k == "Authorization"}
    return harness.measure(
        label,
        lambda _index: requests.Request("GET", url, cookies=cookies, headers=headers),
        count=args.requests,
        concurrency=args.concurrency,
        warmup=harness.WARMUP_REQUESTS,
    )


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
