"""Django's MySQL backend, with the seed's ON DELETE rules on foreign keys.

Django 5.2 emulates on_delete in Python and creates foreign keys without an ON DELETE
clause; the other backends sharing this database rely on the database cascading
(users → stores → products …) and restricting (order_items → products).

It is also django-prometheus' MySQL backend: connections, queries, their duration and errors
are counted per database alias (so a scrape shows what the replica serves).

`streaming_cursor()` is a cursor the server sends rows through as they are read (what the
PostgreSQL backend's named cursors give `.iterator()`): exports of a million rows in constant
memory, the database and Python working at once (`config.keyset.streamed_rows`).
"""

from typing import Any

import MySQLdb.cursors
from django.db import models
from django.db.backends.mysql import schema
from django_prometheus.db.backends.mysql import base
from django_prometheus.db.common import ExportingCursorWrapper

ON_DELETE_SQL = {
    models.CASCADE: " ON DELETE CASCADE",
    models.PROTECT: " ON DELETE RESTRICT",
    models.RESTRICT: " ON DELETE RESTRICT",
    models.SET_NULL: " ON DELETE SET NULL",
}


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    # A private Django method the stubs do not declare.
    def _create_fk_sql(self, model: Any, field: Any, suffix: str) -> Any:
        statement = super()._create_fk_sql(model, field, suffix)  # type: ignore[misc]
        statement.template += ON_DELETE_SQL.get(field.remote_field.on_delete, "")
        return statement


STREAMED = "streamed"


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

    def create_cursor(self, name: str | None = None) -> Any:
        if name != STREAMED:
            return super().create_cursor(name)
        # mysqlclient's SSCursor (mysql_use_result): rows are read off the socket as they are
        # fetched, where the default cursor holds the whole result in the client first. Not made
        # the `.iterator()` cursor: code that writes while it iterates would find the connection
        # busy ("Commands out of sync").
        cursor = self.connection.cursor(MySQLdb.cursors.SSCursor)
        return ExportingCursorWrapper(self.CURSOR_CLASS, self.alias, self.vendor)(cursor)

    def streaming_cursor(self) -> Any:
        """A cursor whose rows the server sends as they are read. Until all are read or it is
        closed (closing reads and drops the rest), nothing else can run on this connection."""
        # Django's private `_cursor`: the same health check, error wrapping and query logging
        # as `cursor()`, with the cursor `create_cursor` makes for the name.
        return self._cursor(name=STREAMED)
