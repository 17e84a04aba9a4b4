"""Orders at any size: keyset pages, the bounded count, search rules, the indexes MariaDB uses,
fixed query counts, and exports that stream in chunks or go to a task."""

from datetime import date, timedelta
from decimal import Decimal as D

import MySQLdb
import pytest
from django.db import ProgrammingError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import keyset
from notifications.models import Notification
from orders.models import Order
from tests.factories import OrderFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, merchant):
    client.force_login(merchant)
    return client


def _spread(orders, *, same_second=False):
    """Give the orders distinct (or, with same_second, pairwise equal) placing times."""
    base = timezone.now().replace(microsecond=0) - timedelta(days=1)
    for index, order in enumerate(orders):
        moment = base - timedelta(seconds=(index // 2) if same_second else index)
        Order.objects.filter(pk=order.pk).update(created_at=moment)


def _walk(fetch):
    """Follow nextCursor from the first page to the end; returns the order numbers seen."""
    seen, cursor = [], ""
    for _ in range(100):
        numbers, cursor = fetch(cursor)
        seen += numbers
        if not cursor:
            return seen
    raise AssertionError("the cursor never ended")


def _expected(store_ids):
    return list(
        Order.objects.filter(store_id__in=store_ids, deleted_at__isnull=True)
        .order_by("-created_at", "-order_number")
        .values_list("order_number", flat=True)
    )


@pytest.mark.parametrize("stores", [1, 3])
def test_dashboard_keyset_pages_visit_every_order_once_newest_first(logged_in, merchant, stores):
    owned = [StoreFactory(user=merchant) for _ in range(stores)]
    orders = [OrderFactory(store=owned[index % stores]) for index in range(23)]
    _spread(orders, same_second=True)  # ties on the time are broken by the number
    OrderFactory(store=StoreFactory())  # someone else's

    def fetch(cursor):
        response = logged_in.get("/dashboard/orders/" + (f"?cursor={cursor}" if cursor else ""))
        assert response.status_code == 200
        page = response.context["page"]
        assert page.count == 23 and not page.count_capped
        return [order.order_number for order in page.object_list], page.next_cursor

    seen = _walk(fetch)
    assert seen == _expected([store.pk for store in owned])


def test_newer_cursor_goes_back_to_the_same_page(logged_in, store):
    orders = OrderFactory.create_batch(30, store=store)
    _spread(orders)
    first = logged_in.get("/dashboard/orders/").context["page"]
    second = logged_in.get(f"/dashboard/orders/?cursor={first.next_cursor}").context["page"]
    assert second.previous_cursor and not second.next_cursor and len(second.object_list) == 5
    back = logged_in.get(f"/dashboard/orders/?cursor={second.previous_cursor}").context["page"]
    assert [o.pk for o in back.object_list] == [o.pk for o in first.object_list]
    html = logged_in.get(f"/dashboard/orders/?status=pending&cursor={first.next_cursor}").content.decode()
    assert "Newer" in html and "Newest" in html and "30 orders" in html


def test_a_bad_cursor_is_a_400_with_a_message_not_a_500(logged_in, merchant_api, store):
    OrderFactory(store=store)
    page = logged_in.get("/dashboard/orders/?cursor=not-a-cursor")
    assert page.status_code == 400
    assert "This page link is not valid any more" in page.content.decode()
    assert len(page.context["page"].object_list) == 1
    api = merchant_api.get("/api/v1/orders?cursor=bm9wZQ")
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid_cursor"
    assert logged_in.get("/dashboard/orders/customers?cursor=%%%").status_code == 400


def test_api_cursor_mode_walks_every_order_and_page_mode_is_unchanged(merchant_api, merchant, store):
    second = StoreFactory(user=merchant)
    orders = [OrderFactory(store=[store, second][index % 2]) for index in range(7)]
    _spread(orders)

    def fetch(cursor):
        body = merchant_api.get(f"/api/v1/orders?limit=3&cursor={cursor}").json()
        pagination = body["pagination"]
        assert (pagination["limit"], pagination["total"], pagination["totalCapped"]) == (3, 7, False)
        assert pagination["hasMore"] == bool(pagination["nextCursor"])
        return [row["orderNumber"] for row in body["data"]], pagination["nextCursor"]

    assert _walk(fetch) == _expected([store.pk, second.pk])
    paged = merchant_api.get("/api/v1/orders?limit=3&page=3").json()["pagination"]
    assert paged == {"page": 3, "limit": 3, "total": 7, "pages": 3, "hasMore": False, "totalCapped": False}


def test_the_count_stops_at_ten_thousand(logged_in, merchant_api, store):
    now = timezone.now()
    Order.objects.bulk_create(
        [
            Order(
                store=store,
                order_number=f"AGM-B{index:07d}",
                customer_name="Bulk",
                customer_phone="+2348030000000",
                items=[],
                subtotal=D("100.00"),
                total=D("100.00"),
                created_at=now,
            )
            for index in range(keyset.COUNT_LIMIT + 1)
        ],
        batch_size=2000,
    )
    page = logged_in.get("/dashboard/orders/").context["page"]
    assert (page.count, page.count_capped, page.count_label) == (10_000, True, "10,000+")
    assert "10,000+ orders" in logged_in.get("/dashboard/orders/").content.decode()
    pagination = merchant_api.get("/api/v1/orders").json()["pagination"]
    assert (pagination["total"], pagination["totalCapped"], pagination["pages"]) == (10_000, True, 500)


def test_search_is_exact_on_phone_and_number_and_a_prefix_on_names(logged_in, store):
    ada = OrderFactory(store=store, customer_name="Adaeze Obi", customer_phone="+2348031234567")
    OrderFactory(store=store, customer_name="Obi Adaeze", customer_phone="+2348031234568")
    number = OrderFactory(store=store, order_number="AGM-ZX7K2P9Q", customer_name="Tunde")

    def numbers(query):
        with CaptureQueriesContext(connection) as queries:
            page = logged_in.get("/dashboard/orders/", {"q": query}).context["page"]
        assert not any("LIKE '%" in q["sql"] or "LIKE %" in q["sql"] for q in queries.captured_queries)
        return {order.order_number for order in page.object_list}

    assert numbers("0803 123 4567") == {ada.order_number}
    assert numbers("+234 803 123 4567") == {ada.order_number}
    assert numbers("803123456") == set()  # not a whole number: no partial phone match
    assert numbers("agm-zx7k2p9q") == {number.order_number}
    assert numbers("AGM-ZX7K") == set()  # numbers match whole
    assert numbers("adae") == {ada.order_number}
    assert numbers("Obi") != {ada.order_number}  # the start of the name, not any word


def _explain(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)  # ANALYZE TABLE commits: no test transaction to roll back
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "cancelled"},
        {"payment_status": "expired"},
        {"q": "08031234567"},
        {"date_from": date(2020, 1, 1)},
    ],
)
def test_the_list_reads_an_index_in_order_without_sorting(merchant, store, filters):
    from orders.selectors import order_filter

    other = StoreFactory()
    phones = ["+2348031234567", "+2348031234568", "+2348031234569", "+2348031234570"]
    for target in (store, other):
        for index in range(80):
            status, paid = ("cancelled", "expired") if index % 10 == 0 else ("shipped", "paid")
            OrderFactory(store=target, status=status, payment_status=paid, customer_phone=phones[index % 4])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE orders")
        cursor.fetchall()
    queryset = order_filter(Order.objects.filter(store_id=store.pk, deleted_at__isnull=True), filters)
    plan = _explain(queryset[:26])
    assert len(plan) == 1 and plan[0]["key"].startswith("agm_orders_"), plan
    extra = plan[0]["Extra"] or ""
    assert "filesort" not in extra and "temporary" not in extra, plan


@pytest.mark.parametrize("count", [5, 60])
def test_customers_page_and_api_run_a_fixed_number_of_queries(
    logged_in, merchant_api, store, count, django_assert_num_queries
):
    from orders.services import customers_catch_up

    for index in range(count):
        OrderFactory(store=store, customer_phone=f"+23480300{index:05d}")
    customers_catch_up()
    # session, user, the bell, stores, count, the page's keys, its rows
    with django_assert_num_queries(7):
        page = logged_in.get("/dashboard/orders/customers")
    assert len(page.context["page"].object_list) == min(count, 25)
    # user, store ids, count, the page's keys, its rows
    with django_assert_num_queries(5):
        body = merchant_api.get("/api/v1/orders/customers?limit=50").json()
    assert len(body["data"]) == min(count, 50)
    assert body["pagination"]["total"] == count


def test_export_streams_every_order_from_one_query_per_store(logged_in, merchant, store):
    second = StoreFactory(user=merchant)
    orders = OrderFactory.create_batch(7, store=store) + OrderFactory.create_batch(3, store=second)
    _spread(orders)
    OrderFactory(store=StoreFactory())  # someone else's
    with CaptureQueriesContext(connection) as queries:
        response = logged_in.get("/dashboard/orders/export.csv")
        lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(lines) == 11
    stores = sorted([store, second], key=lambda owned: owned.pk)
    assert [line.split(",")[0] for line in lines[1:]] == _expected([stores[0].pk]) + _expected([stores[1].pk])
    rows_reads = [q["sql"] for q in queries.captured_queries if "`orders`.`customer_email`" in q["sql"]]
    # One read per store, through the list's indexes, never a sort of the store's orders.
    assert len(rows_reads) == 2
    assert all("FROM `orders` FORCE INDEX (`agm_orders_list`, " in sql for sql in rows_reads), rows_reads
    assert all("LIMIT" not in sql and "`orders`.`id` IN (" not in sql for sql in rows_reads), rows_reads
    # A formula-shaped name is neutralised; numbers and times are written as they are.
    Order.objects.filter(pk=orders[0].pk).update(customer_name="=HYPERLINK(1)", total=D("1500.50"))
    body = b"".join(logged_in.get("/dashboard/orders/export.csv").streaming_content).decode()
    row = next(line for line in body.splitlines() if line.startswith(orders[0].order_number + ","))
    assert ",'=HYPERLINK(1)," in row and row.endswith(",1500.50")
    placed = Order.objects.get(pk=orders[0].pk).created_at
    assert f",{placed.isoformat(sep=' ')}," in row  # an aware time, as Django reads it


def test_streamed_rows_come_in_chunks_of_one_query_in_order_with_ties(store):
    orders = OrderFactory.create_batch(11, store=store)
    _spread(orders, same_second=True)
    live = (
        Order.objects.filter(store=store, deleted_at__isnull=True)
        .order_by("-created_at", "-order_number")
        .values_list("order_number", "total", "created_at")
    )
    with CaptureQueriesContext(connection) as queries:
        chunks = list(keyset.streamed_rows(live, indexes=["agm_orders_list"], chunk=3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 3, 2]
    rows = [row for chunk in chunks for row in chunk]
    assert [number for number, _total, _placed in rows] == _expected([store.pk])
    assert sorted(total for _number, total, _placed in rows) == sorted(order.total for order in orders)
    assert all(placed.tzinfo is not None for _number, _total, placed in rows)
    assert len(queries) == 1


def test_a_stream_holds_its_connection_until_read_or_closed(store):
    """The server sends the rows as they are read (a buffered result would leave the connection
    free at once), and closing the stream early hands the connection back."""
    OrderFactory.create_batch(5, store=store)
    stream = keyset.streamed_rows(
        Order.objects.filter(store=store)
        .order_by("-created_at", "-order_number")
        .values_list("order_number"),
        indexes=["agm_orders_list"],
        chunk=2,
    )
    assert len(next(stream)) == 2
    # Django's error, or mysqlclient's own from closing the refused query's cursor after it
    with pytest.raises((ProgrammingError, MySQLdb.ProgrammingError), match="Commands out of sync"):
        Order.objects.filter(store=store).count()
    stream.close()
    assert Order.objects.filter(store=store).count() == 5


@pytest.mark.django_db(transaction=True)  # ANALYZE TABLE commits
@pytest.mark.parametrize(
    "filters",
    [
        "",
        "?status=cancelled",
        "?payment_status=expired",
        "?status=cancelled&payment_status=expired",
        "?date_from=2020-01-01",
    ],
)
def test_the_export_reads_an_index_range_in_order_without_sorting(logged_in, store, filters):
    other = StoreFactory()
    for target in (store, other):
        for index in range(80):
            status, paid = ("cancelled", "expired") if index % 10 == 0 else ("shipped", "paid")
            OrderFactory(store=target, status=status, payment_status=paid)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE orders")
        cursor.fetchall()
    with CaptureQueriesContext(connection) as queries:
        lines = b"".join(
            logged_in.get("/dashboard/orders/export.csv" + filters).streaming_content
        ).splitlines()
    assert len(lines) == 1 + (8 if "cancelled" in filters or "expired" in filters else 80)
    (sql,) = [q["sql"] for q in queries.captured_queries if "`orders`.`customer_email`" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        columns = [column[0] for column in cursor.description]
        plan = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    orders_plan = [step for step in plan if step["table"] == "orders"]
    assert len(orders_plan) == 1 and orders_plan[0]["key"].startswith("agm_orders_list"), plan
    assert all(
        "filesort" not in (step["Extra"] or "") and "temporary" not in (step["Extra"] or "") for step in plan
    )


@pytest.mark.django_db(transaction=True)  # ANALYZE TABLE commits
@pytest.mark.parametrize("filters", ["", "&status=shipped"])
def test_a_deep_cursor_page_reads_its_keys_from_an_index_range(logged_in, store, filters):
    """The bug seen at 100,000 orders (README "Scale"): asked for whole rows, MariaDB walked the
    store's index from the newest order down to the cursor. The page's keys are read alone: a
    range that starts at the cursor, from the index only, in order."""
    other = StoreFactory()
    for target in (store, other):
        orders = OrderFactory.create_batch(90, store=target, status="shipped", payment_status="paid")
        _spread(orders)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE orders")
        cursor.fetchall()
    cursor_value = ""
    for _page in range(2):
        page = logged_in.get(f"/dashboard/orders/?cursor={cursor_value}{filters}").context["page"]
        cursor_value = page.next_cursor
    with CaptureQueriesContext(connection) as queries:
        page = logged_in.get(f"/dashboard/orders/?cursor={cursor_value}{filters}").context["page"]
    assert [o.order_number for o in page.object_list] == _expected([store.pk])[50:75]
    keys = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT `orders`.`id` AS `pk`, ")
    ]
    assert len(keys) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + keys[0])
        columns = [column[0] for column in cursor.description]
        plan = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    assert len(plan) == 1 and plan[0]["type"] == "range" and plan[0]["key"].startswith("agm_orders_list"), (
        plan
    )
    assert "Using index" in plan[0]["Extra"] and "filesort" not in plan[0]["Extra"], plan


def test_a_large_export_is_built_by_a_task_and_announced_with_its_link(
    logged_in, merchant, other_merchant, client, store, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.ORDERS_EXPORT_INLINE_MAX = 3
    settings.MEDIA_ROOT = tmp_path
    OrderFactory.create_batch(4, store=store)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.get("/dashboard/orders/export.csv?status=pending")
    assert response.status_code == 302 and response["Location"] == "/dashboard/orders/?status=pending"
    note = Notification.objects.get(user=merchant)
    assert note.title == "Your orders export is ready"
    download = logged_in.get(note.link)
    assert download.status_code == 200
    assert len(b"".join(download.streaming_content).decode().strip().splitlines()) == 5
    client.force_login(other_merchant)
    assert client.get(note.link).status_code == 404
    assert logged_in.get("/dashboard/orders/exports/nothing-here.csv").status_code == 404
