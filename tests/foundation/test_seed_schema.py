"""The shared MySQL schema (tests/schema/seed_schema.sql) is a contract with the Node.js and
FastAPI backends: our migrations must build the same tables, adopt a database the seed built,
and accept the INSERTs the other backends make."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import bcrypt
import pytest
from django.conf import settings
from django.db import connection

from tests.schema.compare import connect, create_seed_database, describe, differences, drop_database

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_build_the_seed_schema(django_db_setup, django_db_blocker):
    ours = connection.settings_dict["NAME"]
    seed = f"{ours}_seed"
    db = connection.settings_dict
    create_seed_database(db, seed)
    try:
        cursor = connect(db).cursor()
        diff = differences(describe(cursor, seed), describe(cursor, ours))
    finally:
        drop_database(db, seed)
    assert diff == [], "Our schema differs from the seed:\n" + "\n".join(diff)


def _node_rows():
    """Rows as the Node.js backend writes them: hyphenated ids, required columns only."""
    user_id, admin_id, store_id, product_id = (str(uuid.uuid4()) for _ in range(4))
    node_hash = bcrypt.hashpw(b"node-Passw0rd!", bcrypt.gensalt(10)).decode()
    assert node_hash.startswith("$2b$10$")
    return {
        "user_id": user_id,
        "admin_id": admin_id,
        "store_id": store_id,
        "product_id": product_id,
        "statements": [
            (
                "INSERT INTO users (id, email, password_hash, full_name) VALUES (%s, %s, %s, %s)",
                [user_id, "ada@node.example", node_hash, "Ada From Node"],
            ),
            (
                "INSERT INTO users (id, email, password_hash, full_name, role) VALUES (%s, %s, %s, %s, 'admin')",
                [admin_id, "ops@node.example", node_hash, "Ops From Node"],
            ),
            (
                "INSERT INTO stores (id, user_id, username, display_name) VALUES (%s, %s, %s, %s)",
                [store_id, user_id, "ada-node-store", "Ada's Node Store"],
            ),
            (
                "INSERT INTO products (id, store_id, name, price) VALUES (%s, %s, %s, %s)",
                [product_id, store_id, "Ankara Tote", "4500.00"],
            ),
        ],
    }


def _snapshot(cursor):
    snapshot = {}
    for table in ("users", "stores", "products"):
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        snapshot[table] = cursor.fetchall()
    return snapshot


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fake_initial_adopts_a_seed_database_without_touching_rows(client):
    db = connection.settings_dict
    adopted = f"{db['NAME']}_adopt"
    create_seed_database(db, adopted)
    rows = _node_rows()
    seed_connection = connect(db, adopted)
    cursor = seed_connection.cursor()
    for statement, params in rows["statements"]:
        cursor.execute(statement, params)
    before = _snapshot(cursor)

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "",
        "DB_NAME": adopted,
        "DB_HOST": db["HOST"] or "127.0.0.1",
        "DB_PORT": str(db["PORT"] or 3306),
        "DB_USER": db["USER"],
        "DB_PASSWORD": db["PASSWORD"],
    }
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--fake-initial", "--noinput"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "accounts.0001_initial... FAKED" in result.stdout
        assert "catalog.0001_initial... FAKED" in result.stdout
        assert _snapshot(cursor) == before

        # Our app, pointed at the adopted database, reads those rows.
        original_name = db["NAME"]
        connection.close()
        db["NAME"] = adopted
        try:
            from django.contrib.auth import authenticate

            from accounts.models import User

            user = authenticate(email="ada@node.example", password="node-Passw0rd!")
            assert user is not None and str(user.pk) == rows["user_id"]
            assert authenticate(email="ada@node.example", password="wrong") is None
            assert User.objects.get(pk=rows["admin_id"]).is_staff

            page = client.get("/ada-node-store")
            assert page.status_code == 200
            assert "Ankara Tote" in page.content.decode()

            assert client.login(email="ops@node.example", password="node-Passw0rd!")
            for url, shown in (
                ("/admin/accounts/user/", "ada@node.example"),
                ("/admin/stores/store/", "ada-node-store"),
                ("/admin/catalog/product/", "Ankara Tote"),
            ):
                listing = client.get(url)
                assert listing.status_code == 200
                assert shown in listing.content.decode()
        finally:
            connection.close()
            db["NAME"] = original_name
        after = _snapshot(cursor)
        # Logging in stamps last_login_at; nothing else in those rows may change.
        for table in ("stores", "products"):
            assert after[table] == before[table]
    finally:
        seed_connection.close()
        drop_database(db, adopted)


@pytest.mark.django_db
def test_inserts_with_only_required_columns_fill_the_seed_defaults():
    user_id, store_id, product_id, order_id = (str(uuid.uuid4()) for _ in range(4))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO users (id, email, password_hash, full_name) VALUES (%s, %s, %s, %s)",
            [
                user_id,
                "plain@node.example",
                "$2b$10$abcdefghijklmnopqrstuuSx7kQ0uKcm4Y5qG8p8c8b1vZ3S5u1uW",
                "Plain",
            ],
        )
        cursor.execute(
            "INSERT INTO user_settings (id, user_id) VALUES (%s, %s)", [str(uuid.uuid4()), user_id]
        )
        cursor.execute(
            "INSERT INTO stores (id, user_id, username, display_name) VALUES (%s, %s, %s, %s)",
            [store_id, user_id, "plain-store", "Plain Store"],
        )
        cursor.execute(
            "INSERT INTO products (id, store_id, name, price) VALUES (%s, %s, %s, %s)",
            [product_id, store_id, "Plain Product", "100.00"],
        )
        cursor.execute(
            "INSERT INTO orders (id, store_id, order_number, customer_name, customer_phone, items, subtotal, total)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [order_id, store_id, "NODE-0001", "Bola", "+2348031234567", json.dumps([]), "100.00", "100.00"],
        )
        cursor.execute(
            "SELECT role, email_verified, phone_verified, is_active, has_completed_onboarding,"
            " created_at IS NOT NULL, updated_at IS NOT NULL FROM users WHERE id = %s",
            [user_id],
        )
        assert cursor.fetchone() == ("user", 0, 0, 1, 0, 1, 1)
        cursor.execute(
            "SELECT email_notifications, sms_notifications, marketing_notifications, profile_visibility,"
            " default_currency, timezone, language, two_factor_enabled, login_alerts FROM user_settings"
            " WHERE user_id = %s",
            [user_id],
        )
        assert cursor.fetchone() == (1, 1, 0, "public", "NGN", "Africa/Lagos", "en", 0, 1)
        cursor.execute(
            "SELECT template_id, is_active, created_at IS NOT NULL FROM stores WHERE id = %s", [store_id]
        )
        assert cursor.fetchone() == ("products", 1, 1)
        cursor.execute(
            "SELECT stock_quantity, low_stock_threshold, images, is_active, is_featured, view_count"
            " FROM products WHERE id = %s",
            [product_id],
        )
        stock, threshold, images, active, featured, views = cursor.fetchone()
        assert (stock, threshold, json.loads(images), active, featured, views) == (0, 5, [], 1, 0, 0)
        cursor.execute(
            "SELECT status, payment_status, discount, shipping_fee, agm_fee FROM orders WHERE id = %s",
            [order_id],
        )
        assert [str(value) for value in cursor.fetchone()] == ["pending", "pending", "0.00", "0.00", "0.00"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "params"),
    [
        (
            "INSERT INTO users (id, email, password_hash, full_name, role) VALUES (%s, 'x@y.z', 'h', 'X', 'owner')",
            [],
        ),
        ("UPDATE orders SET status = 'lost' WHERE id = %s", []),
    ],
)
def test_enum_columns_refuse_other_values(statement, params):
    from django.db import DataError, IntegrityError, OperationalError

    if "orders" in statement:
        from tests.factories import StoreFactory

        store = StoreFactory()
        from orders.models import Order

        order = Order.objects.create(
            store=store,
            order_number="E-1",
            customer_name="A",
            customer_phone="+2348031234567",
            items=[],
            subtotal="1.00",
            total="1.00",
        )
        params = [order.pk]
    else:
        params = [str(uuid.uuid4())]
    with pytest.raises((DataError, IntegrityError, OperationalError)), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_settings_use_the_seed_charset():
    assert settings.DATABASES["default"]["TEST"]["COLLATION"] == "utf8mb4_unicode_ci"
