"""Keyset ("cursor") pagination for tenant lists that grow without bound (README "Scale").

A page is "the `limit` rows after this one in (time, key) order", read straight from an index
that starts with the tenant column: its cost does not depend on how deep the page is, where
`OFFSET 500000` walks half a million index entries. The count is bounded the same way
(`COUNT_LIMIT`: pages say "10,000+"), so no request touches every row of a big store.

Several stores are one `UNION ALL` of per-store `ORDER BY … LIMIT` reads (each an index range)
merged by the database over at most (stores x (limit + 1)) rows: `store_id IN (…)` with an
`ORDER BY` would make MariaDB sort all their rows.

The cursor is opaque to clients: base64url JSON of the boundary row's (time, key) and the
direction. A bad one is a `ServiceError` (400), never a 500.

Whole lists (exports) are read in constant memory: `streamed_rows` in an index's order,
`pk_chunks` in primary-key order.
"""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connections
from django.db.models import Model, Q, QuerySet

from config.errors import ServiceError

COUNT_LIMIT = 10_000


class InvalidCursor(ServiceError):
    code = "invalid_cursor"


@dataclass(frozen=True)
class Cursor:
    time: datetime
    key: Any
    newer: bool  # True: the page before the boundary (towards the newest rows)


def cursor_encode(time: datetime, key: Any, *, newer: bool) -> str:
    raw = json.dumps([time.isoformat(), key, 1 if newer else 0], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(raw: str) -> Cursor:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        time, key, newer = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        moment = datetime.fromisoformat(time)
        if moment.tzinfo is None or not isinstance(key, str | int) or newer not in (0, 1):
            raise ValueError(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidCursor(
            "This page link is not valid any more: start again from the first page.",
            details={"cursor": "Use a nextCursor or previousCursor value from a list response."},
        ) from error
    return Cursor(time=moment, key=key, newer=bool(newer))


@dataclass
class KeysetPage:
    """One page, with what the templates and the API envelope need (`object_list` as Django's Page)."""

    object_list: list[Any]
    limit: int
    count: int
    count_capped: bool
    next_cursor: str | None = None  # older rows
    previous_cursor: str | None = None  # newer rows
    first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)

    @property
    def count_label(self) -> str:
        return f"{COUNT_LIMIT:,}+" if self.count_capped else f"{self.count:,}"


def bounded_count(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """How many rows, counting at most COUNT_LIMIT + 1 of them; (count, capped)."""
    count = queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return min(count, COUNT_LIMIT), count > COUNT_LIMIT


def keyset_page(
    queryset: QuerySet[Any],
    *,
    store_ids: Sequence[str],
    time_field: str,
    key_field: str,
    cursor: str | None,
    limit: int,
    store_field: str = "store_id",
    index: str | None = None,
) -> KeysetPage:
    """The page of `queryset` (already filtered, not yet scoped to stores) newest first.

    `(store, …, time_field, key_field)` must be the tail of an index for this to read only the
    page's rows; `key_field` must be unique within a time so that a boundary is exact. `index`
    names the index the page's keys must be read from when that is not the time-ordered one
    (a name-prefix search: MariaDB would walk the time index until enough names matched, the
    whole store for a rare name; the name index holds every key, so it reads only the matches
    and sorts those).
    """
    position = cursor_decode(cursor) if cursor else None
    if not store_ids:
        return KeysetPage(object_list=[], limit=limit, count=0, count_capped=False)
    scoped = _scoped(queryset, store_field, store_ids)
    count, capped = bounded_count(scoped)
    if position is not None:
        newer = position.newer
        before = Q(**{f"{time_field}__gt": position.time}) | Q(
            **{time_field: position.time, f"{key_field}__gt": position.key}
        )
        after = Q(**{f"{time_field}__lt": position.time}) | Q(
            **{time_field: position.time, f"{key_field}__lt": position.key}
        )
        # The redundant single-column bound gives MariaDB the index range to start from.
        bound = {f"{time_field}__gte" if newer else f"{time_field}__lte": position.time}
        queryset = queryset.filter(before if newer else after, **bound)
    else:
        newer = False
    sign = "" if newer else "-"
    ordering = (f"{sign}{time_field}", f"{sign}{key_field}")
    rows = _rows(queryset, store_field, store_ids, ordering, limit + 1, index)
    more = len(rows) > limit
    rows = rows[:limit]
    if newer:
        rows.reverse()
    page = KeysetPage(object_list=rows, limit=limit, count=count, count_capped=capped, first=position is None)
    if rows:
        top, bottom = rows[0], rows[-1]
        older_exists = True if newer else more
        newer_exists = more if newer else position is not None
        if older_exists:
            page.next_cursor = cursor_encode(
                getattr(bottom, time_field), getattr(bottom, key_field), newer=False
            )
        if newer_exists:
            page.previous_cursor = cursor_encode(
                getattr(top, time_field), getattr(top, key_field), newer=True
            )
    return page


def _scoped(queryset: QuerySet[Any], store_field: str, store_ids: Sequence[str]) -> QuerySet[Any]:
    if len(store_ids) == 1:
        return queryset.filter(**{store_field: store_ids[0]})
    return queryset.filter(**{f"{store_field}__in": list(store_ids)})


def _rows(
    queryset: QuerySet[Any],
    store_field: str,
    store_ids: Sequence[str],
    ordering: tuple[str, str],
    size: int,
    index: str | None = None,
) -> list[Model]:
    """The page's objects: their keys first, then the rows by primary key.

    The keys (pk, time, key) are all in the list's index, so that read never touches a row and
    MariaDB starts the index range at the cursor. Asked for whole rows in one query, it reads the
    index's `(store, deleted_at)` prefix from the top instead (a `ref` access, "Using where") and
    fetches every row above the cursor: half a million for a page half-way down a million
    orders. Several stores are one `UNION ALL` of per-store reads, merged by the database.
    """
    names = [name.lstrip("-") for name in ordering]
    parts = [
        queryset.filter(**{store_field: store_id}).order_by(*ordering).values_list("pk", *names)[:size]
        for store_id in store_ids
    ]
    if len(parts) == 1:
        keys = parts[0]
    elif connections[queryset.db].features.supports_slicing_ordering_in_compound:
        keys = parts[0].union(*parts[1:], all=True).order_by(*ordering)[:size]
    else:
        keys = None
    if keys is not None:
        ids = [row[0] for row in keys] if index is None else _hinted(keys, index)
    else:
        # SQLite (`make run`) refuses LIMIT inside a UNION: merge the stores' pages here
        merged = [row for part in parts for row in part]
        for position in reversed(range(len(ordering))):  # stable sorts, last key first
            merged.sort(key=lambda row: row[1 + position], reverse=ordering[position].startswith("-"))
        ids = [row[0] for row in merged[:size]]
    # Scoped to the stores again so the row read joins each row's store by its key (and stays
    # within the tenant whatever the ids say).
    found = _scoped(queryset, store_field, store_ids).filter(pk__in=ids).order_by()
    by_id = {row.pk: row for row in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def _hinted(keys: QuerySet[Any], index: str) -> list[Any]:
    """The primary keys `keys` selects, read through `index`."""
    compiler = keys.query.get_compiler(using=keys.db)
    if compiler.connection.vendor != "mysql":  # the hint is MariaDB/MySQL syntax (SQLite in `make run`)
        return [row[0] for row in keys]
    sql, params = compiler.as_sql()
    with compiler.connection.cursor() as cursor:
        cursor.execute(_force_index(compiler, sql, [index]), params)
        return [row[0] for row in cursor.fetchall()]


def _force_index(compiler: Any, sql: str, indexes: Sequence[str]) -> str:
    """`sql` reading its model's table through one of `indexes` (`FORCE INDEX`, which the ORM
    cannot say; the index names are ours, never input)."""
    quote = compiler.connection.ops.quote_name
    table = quote(compiler.query.model._meta.db_table)
    names = ", ".join(quote(index) for index in indexes)
    return sql.replace(f"FROM {table}", f"FROM {table} FORCE INDEX ({names})", 1)


def streamed_rows(
    queryset: QuerySet[Any], *, indexes: Sequence[str], chunk: int = 2000
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `queryset` (a `values_list` of fields, in its order) in lists of `chunk`, from
    one query whose rows the database sends as they are read: constant memory at any size.

    On MariaDB this is the backend's `streaming_cursor()` (mysqlclient would otherwise hold the
    whole result, Django's `.iterator()` included), through one of `indexes`: without the hint
    MariaDB sorts a big store's rows before sending the first. The server works out the next rows
    while Python writes these, where a read per chunk would make each wait for the other. The
    connection is busy until the last chunk is taken (or the generator is closed): run nothing
    else on it meanwhile.
    """
    connection = connections[queryset.db]
    if not hasattr(connection, "streaming_cursor"):  # SQLite (`make run`): its rows come as read
        rows = queryset.iterator(chunk_size=chunk)
        while batch := list(islice(rows, chunk)):
            yield batch
        return
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    with connection.streaming_cursor() as cursor:
        cursor.execute(_force_index(compiler, sql, indexes), params)
        while rows := cursor.fetchmany(chunk):
            # Django's own conversion of raw values (aware datetimes, booleans, UUIDs)
            yield list(compiler.results_iter(results=[rows], tuple_expected=True))


def pk_chunks(queryset: QuerySet[Any], *, chunk: int = 1000) -> Iterator[Any]:
    """Every object of `queryset` in primary-key order, `chunk` rows per query (flat memory)."""
    last = None
    ordered = queryset.order_by("pk")
    while True:
        page = ordered if last is None else ordered.filter(pk__gt=last)
        rows = list(page[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].pk
