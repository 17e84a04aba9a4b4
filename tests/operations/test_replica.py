"""The read replica (config/replica.py), with a second MariaDB database standing in for it.

The stand-in gets the primary's tables and, when a test says so, a copy of its rows (what
replication would have done). A row changed only on the stand-in shows where a page read from;
the stand-in's rows after a write show that no write reached it.
"""

import uuid

import pytest
from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, resolve, reverse

from config.replica import PIN_COOKIE, REPLICA, ReplicaReadsMiddleware, ReplicaRouter
from orders.models import Order, OrderStatus
from tests.factories import OrderFactory, StoreFactory, UserFactory

# The replica alias is one of the test's databases, so Django lets the test use it; with
# TEST["MIRROR"] it is not flushed between tests (the primary is).
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

ORDERS = reverse("dashboard:orders_dashboard:list")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE")


class StandIn:
    """The replica database: its name, and SQL run on it directly (not through Django)."""

    def __init__(self, primary: str, name: str):
        self.primary, self.name = primary, name

    def sql(self, statement: str, params=()):
        with connections["default"].cursor() as cursor:
            cursor.execute(statement.replace("{replica}", f"`{self.name}`"), params)
            return cursor.fetchall()

    def replicate(self):
        """Copy every row of the primary, as replication catching up would."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
            for table in connections["default"].introspection.table_names(cursor):
                cursor.execute(f"DELETE FROM `{self.name}`.`{table}`")
                cursor.execute(
                    f"INSERT INTO `{self.name}`.`{table}` SELECT * FROM `{self.primary}`.`{table}`"
                )
            cursor.execute("SET FOREIGN_KEY_CHECKS = 1")


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup, django_db_blocker):
    """Registered before any test of the module starts: Django checks a test's databases then."""
    with django_db_blocker.unblock():
        primary = dict(connections["default"].settings_dict)
        name = f"{primary['NAME']}_replica"
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            for table in connections["default"].introspection.table_names(cursor):
                cursor.execute(f"CREATE TABLE `{name}`.`{table}` LIKE `{primary['NAME']}`.`{table}`")
    # What settings build from DATABASE_REPLICA_URL, pointed at the stand-in.
    settings.DATABASES[REPLICA] = {**primary, "NAME": name, "TEST": {"MIRROR": "default"}}
    try:
        yield StandIn(primary["NAME"], name)
    finally:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
            del connections[REPLICA]
            del settings.DATABASES[REPLICA]
            with connections["default"].cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def world(replica, client):
    merchant = UserFactory(full_name="Primary Name")
    order = OrderFactory(store=StoreFactory(user=merchant), customer_name="Ada Primary")
    replica.replicate()
    client.force_login(merchant)
    return merchant, order


def replica_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_listed_page_reads_orders_from_the_replica(client, replica, world):
    _, order = world
    replica.sql("UPDATE {replica}.orders SET customer_name = 'Ada Replica' WHERE id = %s", [order.pk])

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(ORDERS)

    assert response.status_code == 200
    assert "Ada Replica" in response.content.decode()
    assert "Ada Primary" not in response.content.decode()
    assert any("`orders`" in q["sql"] for q in on_replica.captured_queries)
    assert replica_writes(on_replica.captured_queries) == []
    assert PIN_COOKIE not in response.cookies


def test_who_is_signed_in_is_read_from_the_primary_even_there(client, replica, world):
    merchant, _ = world
    replica.sql("UPDATE {replica}.users SET full_name = 'Replica Name' WHERE id = %s", [merchant.pk])

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(ORDERS)

    assert "Primary Name" in response.content.decode()
    assert "Replica Name" not in response.content.decode()
    assert not any("`users`" in q["sql"] or "django_session" in q["sql"] for q in on_replica.captured_queries)


def test_a_page_not_listed_reads_the_primary(client, replica, world):
    _, order = world
    replica.sql("UPDATE {replica}.orders SET customer_name = 'Ada Replica' WHERE id = %s", [order.pk])

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("dashboard:orders_dashboard:detail", args=[order.pk]))

    assert response.status_code == 200
    assert "Ada Primary" in response.content.decode()
    assert on_replica.captured_queries == []


def test_a_write_never_reaches_the_replica_and_the_next_pages_read_the_primary(
    client, replica, world, settings
):
    _, order = world
    replica.sql("UPDATE {replica}.orders SET customer_name = 'Ada Replica' WHERE id = %s", [order.pk])

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.post(
            reverse("dashboard:orders_dashboard:status", args=[order.pk]), {"status": "confirmed", "note": ""}
        )
        assert response.status_code == 302
        pinned = client.get(ORDERS)

    assert on_replica.captured_queries == []
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED
    assert replica.sql("SELECT status FROM {replica}.orders WHERE id = %s", [order.pk]) == (("pending",),)
    assert replica.sql("SELECT COUNT(*) FROM {replica}.orders_events") == ((0,),)
    cookie = response.cookies[PIN_COOKIE]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (
        settings.DATABASE_REPLICA_PIN_SECONDS,
        True,
        "Lax",
    )
    # The list right after the change shows the primary's order (confirmed, its real name).
    assert "Ada Primary" in pinned.content.decode()
    assert "Ada Replica" not in pinned.content.decode()

    # Once the pin has lapsed (the browser drops the cookie), the list reads the replica again.
    client.cookies.pop(PIN_COOKIE)
    assert "Ada Replica" in client.get(ORDERS).content.decode()


def test_every_listed_view_exists():
    for name in settings.DATABASE_REPLICA_VIEWS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = reverse(name, args=[uuid.uuid4()])
        assert resolve(url).view_name == name


def test_reads_inside_a_transaction_and_after_a_write_stay_on_the_primary(replica, rf):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Order))
        with transaction.atomic():
            seen.append(router.db_for_read(Order))
        seen.append(router.db_for_read(Order))
        Order.objects.filter(pk="nothing").update(notes="x")
        seen.append(router.db_for_read(Order))
        return HttpResponse("ok")

    def handler(request):
        # What Django's handler does between the middleware's call and the view.
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaReadsMiddleware(handler)
    request = rf.get(ORDERS)
    request.resolver_match = resolve(ORDERS)
    response = middleware(request)
    assert seen == [REPLICA, "default", REPLICA, "default"]
    assert PIN_COOKIE in response.cookies  # it wrote, so the browser's next reads are the primary's


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate(REPLICA, "orders") is False
    assert ReplicaRouter().allow_migrate("default", "orders") is True
