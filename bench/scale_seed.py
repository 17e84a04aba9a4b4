"""The bulk seed of bench/scale.py: one merchant with `total` orders in minutes, even at a million.

Rows are written as tab-separated chunks of 100,000 orders and loaded with `LOAD DATA LOCAL
INFILE` into the migrated schema (every index in place), with unique and foreign-key checks off
for the session only. Ids count up instead of being random so each table's clustered index is
appended to rather than split page by page (a primary-key read costs the same either way), and
times go in as epoch seconds (`FROM_UNIXTIME` in a UTC session, as Django's connections use).
"""

import os
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from config.money import to_kobo

CHUNK = 100_000
PRODUCTS = 2000
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
PAID_STATUSES = ["confirmed", "processing", "shipped", "delivered", "fulfilled"]
# Marks a database this script seeded, so --reuse never measures (or trusts) anyone else's.
MARKER_TABLE = "bench_scale_seed"
DAYS = 730


def order_number(index: int) -> str:
    # A scrambled, unique 8-character code per index (bijective mod 32**8).
    value = (index * 2654435761 + 12345) % 32**8
    return "AGM-" + "".join(ALPHABET[(value >> (5 * k)) & 31] for k in range(8))


def scattered_uuid(table: int, index: int) -> str:
    # A well-formed version-4-shaped UUID, unique per (table, index) and in no order related to
    # the index (bijective mod 2**32): the product's ids are random UUID4s, so a store's rows in
    # time order are scattered over the primary key, and a read in time order pays for it.
    value = (index * 2654435761 + 40503 * table) % 2**32
    return f"{value:08x}-{table:04x}-4000-8000-{index >> 32:012x}"


LOADS = {
    "orders": (
        "(id, store_id, order_number, customer_name, customer_email, customer_phone, customer_address,"
        " delivery_state, items, subtotal, discount, shipping_fee, agm_fee, total, status, payment_status,"
        " @created) SET created_at = FROM_UNIXTIME(@created), updated_at = FROM_UNIXTIME(@created)"
    ),
    "order_items": (
        "(id, order_id, product_id, product_name, product_price, quantity, subtotal, @created)"
        " SET created_at = FROM_UNIXTIME(@created)"
    ),
    "payments": (
        "(id, order_id, user_id, amount, status, payment_reference, @paid, @created)"
        " SET paid_at = IF(@paid = '', NULL, FROM_UNIXTIME(@paid)), created_at = FROM_UNIXTIME(@created),"
        " updated_at = FROM_UNIXTIME(@created)"
    ),
    "ledger_entries": (
        "(id, merchant_id, kind, amount, reference, payment_id, description, @created)"
        " SET created_at = FROM_UNIXTIME(@created)"
    ),
}


def seed(total: int, *, database: dict) -> tuple[object, object]:
    """Seed `total` orders for a new merchant; returns (user, store)."""
    import MySQLdb
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
            for i in range(PRODUCTS)
        ]
    )
    catalogue = [(str(product.pk), product.name, product.price) for product in products]
    connection = MySQLdb.connect(
        host=database["HOST"],
        port=int(database["PORT"]),
        user=database["USER"],
        passwd=database["PASSWORD"],
        db=database["NAME"],
        charset="utf8mb4",
        local_infile=1,
    )
    cursor = connection.cursor()
    cursor.execute("SET time_zone = '+00:00', unique_checks = 0, foreign_key_checks = 0")
    now = int(timezone.now().timestamp())
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="agm-scale-") as folder:
        for start in range(0, total, CHUNK):
            files = _write_chunk(
                Path(folder), start, min(start + CHUNK, total), total, now, store.pk, user.pk, catalogue
            )
            for table, path in files.items():
                cursor.execute(
                    f"LOAD DATA LOCAL INFILE %s INTO TABLE {table} CHARACTER SET utf8mb4 {LOADS[table]}",
                    [str(path)],
                )
                os.unlink(path)
            connection.commit()
            done = min(start + CHUNK, total)
            print(
                f"\r  seeded {done:,}/{total:,} orders ({time.monotonic() - started:.0f} s)",
                end="",
                flush=True,
            )
    # The customer table and the balance, set-based (the rebuild commands do the same per row).
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
    cursor.execute(f"CREATE TABLE {MARKER_TABLE} (orders INT NOT NULL)")
    cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s)", [total])
    connection.commit()
    cursor.execute("ANALYZE TABLE orders, order_items, payments, ledger_entries, orders_customers")
    cursor.fetchall()
    connection.close()
    print(f"\n  seeded in {time.monotonic() - started:.0f} s")
    return user, store


def _write_chunk(folder: Path, start: int, stop: int, total: int, now: int, store_id, user_id, catalogue):
    phones = max(total // 5, 1)
    span = DAYS * 86400 / max(total, 1)
    fees: dict[Decimal, Decimal] = {}
    paths = {table: folder / f"{table}.tsv" for table in LOADS}
    handles = {table: path.open("w", encoding="utf-8") for table, path in paths.items()}
    orders, items, payments, ledger = (handles[table] for table in LOADS)
    line_id = start * 3
    try:
        for index in range(start, stop):
            phone = index % phones
            name = f"{FIRST[phone % len(FIRST)]} {LAST[(phone // len(FIRST)) % len(LAST)]} {phone}"
            created = now - int((total - index) * span)
            roll = random.random()
            paid = roll < 0.84
            if paid:
                status, payment_status = random.choice(PAID_STATUSES), "paid"
            elif roll < 0.92:
                status, payment_status = "pending", "pending"
            else:
                status, payment_status = "cancelled", "expired"
            order_id = scattered_uuid(1, index)
            subtotal = Decimal(0)
            snapshot = []
            for _line in range(1 + (index % 5 == 0) + (index % 5 in (1, 2, 3))):
                product_id, product_name, price = catalogue[random.randrange(PRODUCTS)]
                subtotal += price
                snapshot.append(
                    f'{{"product_id": "{product_id}", "quantity": 1, "product_price": "{price}"}}'
                )
                items.write(
                    f"{scattered_uuid(2, line_id)}\t{order_id}\t{product_id}\t{product_name}\t{price}\t1\t"
                    f"{price}\t{created}\n"
                )
                line_id += 1
            fee = fees.get(subtotal)
            if fee is None:
                fee = fees[subtotal] = to_kobo(subtotal * Decimal("0.025"))
            orders.write(
                f"{order_id}\t{store_id}\t{order_number(index)}\t{name}\tc{phone}@example.com\t"
                f'+23480{phone:08d}\t{{"delivery_method": "delivery"}}\t{STATES[phone % len(STATES)]}\t'
                f"[{', '.join(snapshot)}]\t{subtotal}\t0\t0\t{fee}\t{subtotal}\t{status}\t{payment_status}\t"
                f"{created}\n"
            )
            payment_id = scattered_uuid(3, index)
            reference = f"PAY-{index:09d}"
            payments.write(
                f"{payment_id}\t{order_id}\t{user_id}\t{subtotal}\t{payment_status}\t{reference}\t"
                f"{created if paid else ''}\t{created}\n"
            )
            if paid:
                ledger.write(
                    f"{scattered_uuid(4, index)}\t{user_id}\tcredit_sale\t{subtotal - fee}\t"
                    f"sale:{reference}\t{payment_id}\tOrder payment, net of the platform fee\t{created}\n"
                )
    finally:
        for handle in handles.values():
            handle.close()
    return paths
