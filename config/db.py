"""Model fields and indexes that reproduce the shared MySQL schema (seed/schema.sql).

The earlier Node.js and FastAPI backends write to the same tables, so column types,
defaults and index names follow that schema on MySQL/MariaDB, and degrade to their
nearest equivalents on SQLite (the embedded default).
"""

import uuid
from typing import Any

from django.db import models
from django.db.models.expressions import Func


def new_uuid() -> str:
    return str(uuid.uuid4())


class CurrentTimestamp(Func):
    """CURRENT_TIMESTAMP without fractional seconds.

    Django's Now() renders CURRENT_TIMESTAMP(6) on MySQL, which is not a valid default
    for the seed's second-precision TIMESTAMP columns.
    """

    template = "CURRENT_TIMESTAMP"
    output_field = models.DateTimeField()


class UUIDCharField(models.CharField):  # type: ignore[type-arg]  # not subscriptable at run time
    """A CHAR(36) hyphenated UUID, as the other backends write primary keys.

    Django's UUIDField stores 32 characters on MySQL, which does not match the seed.
    Foreign keys to this field follow its db_type, so they are CHAR(36) too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 36
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str:
        return "char(36)"


def uuid_primary_key() -> UUIDCharField:
    return UUIDCharField(primary_key=True, default=new_uuid, editable=False)


class TimestampField(models.DateTimeField):  # type: ignore[type-arg]  # not subscriptable at run time
    """MySQL TIMESTAMP (second precision), optionally ON UPDATE CURRENT_TIMESTAMP.

    The seed's updated_at columns refresh themselves on every UPDATE another backend
    makes; the clause lives in the column type so that Django's ALTERs keep it.
    """

    def __init__(self, *args: Any, on_update: bool = False, **kwargs: Any) -> None:
        self.on_update = on_update
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.on_update:
            kwargs["on_update"] = True
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor != "mysql":
            return super().db_type(connection)
        if self.on_update:
            return "timestamp ON UPDATE CURRENT_TIMESTAMP"
        return "timestamp"


class EnumField(models.CharField):  # type: ignore[type-arg]  # not subscriptable at run time
    """A column that accepts only its choices: ENUM on MySQL, a CHECK elsewhere."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        choices = kwargs["choices"]
        kwargs.setdefault("max_length", max(len(value) for value, _label in choices))
        super().__init__(*args, **kwargs)

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "mysql":
            values = ",".join(f"'{value}'" for value, _label in self.choices or ())
            return f"enum({values})"
        return super().db_type(connection)

    def db_check(self, connection: Any) -> str | None:
        if connection.vendor == "mysql":
            return None
        values = ", ".join(f"'{value}'" for value, _label in self.choices or ())
        column = connection.ops.quote_name(self.column)
        return f"{column} IN ({values})"


class SeedTextField(models.TextField):  # type: ignore[type-arg]  # not subscriptable at run time
    """MySQL TEXT (64 KiB), as the seed declares, instead of Django's LONGTEXT."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "mysql":
            return "text"
        return super().db_type(connection)


class SeedIndex(models.Index):
    """An index under the seed's name.

    MySQL scopes index names to their table, so the seed reuses names such as
    idx_email across tables; SQLite scopes them to the database, so there the name is
    prefixed with the table.
    """

    def _for(self, model: Any, schema_editor: Any) -> models.Index:
        if schema_editor.connection.vendor == "mysql":
            return self
        index = self.clone()
        index.name = f"{model._meta.db_table}_{self.name}"
        return index

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        return models.Index.create_sql(
            self._for(model, schema_editor), model, schema_editor, using=using, **kwargs
        )

    def remove_sql(self, model: Any, schema_editor: Any, **kwargs: Any) -> Any:
        return models.Index.remove_sql(self._for(model, schema_editor), model, schema_editor, **kwargs)


def mysql_fulltext(table: str, name: str, columns: list[str]) -> Any:
    """A migration operation adding a FULLTEXT index on MySQL only (SQLite has none)."""
    from django.db import migrations

    column_sql = ", ".join(f"`{column}`" for column in columns)

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "mysql":
            schema_editor.execute(f"CREATE FULLTEXT INDEX `{name}` ON `{table}` ({column_sql})")

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "mysql":
            schema_editor.execute(f"DROP INDEX `{name}` ON `{table}`")

    # DDL cannot run inside a transaction on MySQL.
    return migrations.RunPython(forwards, backwards, atomic=False, elidable=False)
