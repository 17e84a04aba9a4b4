"""Django's MySQL backend, with the seed's ON DELETE rules on foreign keys.

Django 5.2 emulates on_delete in Python and creates foreign keys without an ON DELETE
clause; the other backends sharing this database rely on the database cascading
(users → stores → products …) and restricting (order_items → products).

It is also django-prometheus' MySQL backend: connections, queries, their duration and errors
are counted per database alias (so a scrape shows what the replica serves).
"""

from typing import Any

from django.db import models
from django.db.backends.mysql import schema
from django_prometheus.db.backends.mysql import base

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


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
