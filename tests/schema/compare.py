"""Describing a MySQL schema from information_schema, to compare the seed's with ours."""

from pathlib import Path

import MySQLdb

SEED_SQL = Path(__file__).with_name("seed_schema.sql")
SEED_TABLES = (
    "users",
    "user_settings",
    "stores",
    "products",
    "orders",
    "order_items",
    "payments",
    "bank_accounts",
    "otp_verifications",
    "refresh_tokens",
)


def connect(database_settings: dict, name: str | None = None):
    kwargs = {
        "host": database_settings["HOST"] or "127.0.0.1",
        "port": int(database_settings["PORT"] or 3306),
        "user": database_settings["USER"],
        "password": database_settings["PASSWORD"],
        "charset": "utf8mb4",
        "autocommit": True,
    }
    if name:
        kwargs["database"] = name
    return MySQLdb.connect(**kwargs)


def seed_statements() -> list[str]:
    lines = [line for line in SEED_SQL.read_text().splitlines() if not line.strip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]


def create_seed_database(database_settings: dict, name: str) -> None:
    connection = connect(database_settings)
    try:
        cursor = connection.cursor()
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        cursor.execute(f"USE `{name}`")
        for statement in seed_statements():
            cursor.execute(statement)
    finally:
        connection.close()


def drop_database(database_settings: dict, name: str) -> None:
    connection = connect(database_settings)
    try:
        connection.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        connection.close()


def _normalise_default(value):
    if value is None:
        return None
    lowered = value.lower().strip("()")
    if lowered.startswith("current_timestamp"):
        return "CURRENT_TIMESTAMP"
    if value in ("NULL",):
        return None
    return value.strip("'")


def _normalise_extra(extra: str) -> str:
    # MySQL 8 marks expression defaults DEFAULT_GENERATED; the value is compared already.
    return " ".join(part for part in extra.lower().replace("default_generated", "").split() if part)


def describe(cursor, schema: str) -> dict:
    """{table: {"columns": {...}, "keys": {...}, "foreign_keys": {...}}} for the seed tables."""
    placeholders = ", ".join(["%s"] * len(SEED_TABLES))
    description = {table: {"columns": {}, "keys": {}, "foreign_keys": {}} for table in SEED_TABLES}

    cursor.execute(
        "SELECT table_name, column_name, column_type, is_nullable, column_default, extra,"
        " character_maximum_length, numeric_precision, numeric_scale"
        " FROM information_schema.columns"
        f" WHERE table_schema = %s AND table_name IN ({placeholders})",
        [schema, *SEED_TABLES],
    )
    for table, column, column_type, nullable, default, extra, length, precision, scale in cursor.fetchall():
        description[table]["columns"][column] = {
            "type": column_type.lower(),
            "nullable": nullable == "YES",
            "default": _normalise_default(default),
            "extra": _normalise_extra(extra or ""),
            "length": length,
            "precision": precision,
            "scale": scale,
        }

    cursor.execute(
        "SELECT table_name, index_name, non_unique, index_type,"
        " GROUP_CONCAT(column_name ORDER BY seq_in_index)"
        " FROM information_schema.statistics"
        f" WHERE table_schema = %s AND table_name IN ({placeholders})"
        " GROUP BY table_name, index_name, non_unique, index_type",
        [schema, *SEED_TABLES],
    )
    for table, index, non_unique, index_type, columns in cursor.fetchall():
        description[table]["keys"][index] = {
            "unique": not non_unique,
            "type": index_type,
            "columns": columns,
        }

    cursor.execute(
        "SELECT kcu.table_name, kcu.column_name, kcu.referenced_table_name,"
        " kcu.referenced_column_name, rc.delete_rule"
        " FROM information_schema.key_column_usage kcu"
        " JOIN information_schema.referential_constraints rc"
        "   ON rc.constraint_schema = kcu.constraint_schema"
        "  AND rc.constraint_name = kcu.constraint_name"
        f" WHERE kcu.table_schema = %s AND kcu.table_name IN ({placeholders})",
        [schema, *SEED_TABLES],
    )
    for table, column, referenced_table, referenced_column, delete_rule in cursor.fetchall():
        description[table]["foreign_keys"][column] = {
            "references": f"{referenced_table}.{referenced_column}",
            "on_delete": delete_rule,
        }
    return description


# Indexes we add to seed tables for our queries (README "Scale") carry this prefix. They are the
# one allowed extra: plain (non-unique) B-tree keys change no row the other backends may write,
# only how fast they are read. A unique or differently named extra key is still a difference.
OUR_INDEX_PREFIX = "agm_"


def _ours_to_add(part: str, name: str, key: dict) -> bool:
    return (
        part == "keys" and name.startswith(OUR_INDEX_PREFIX) and not key["unique"] and key["type"] == "BTREE"
    )


def differences(seed: dict, ours: dict) -> list[str]:
    """Readable lines, one per incompatibility between the seed's schema and ours."""
    lines = []
    for table in SEED_TABLES:
        for part in ("columns", "keys", "foreign_keys"):
            theirs, mine = seed[table][part], ours[table][part]
            if not theirs and part == "columns":
                lines.append(f"{table}: the seed schema has no such table")
            for name in sorted(theirs.keys() - mine.keys()):
                lines.append(f"{table}.{part}: missing {name} {theirs[name]}")
            for name in sorted(mine.keys() - theirs.keys()):
                if _ours_to_add(part, name, mine[name]):
                    continue
                lines.append(f"{table}.{part}: extra {name} {mine[name]}")
            for name in sorted(theirs.keys() & mine.keys()):
                for attribute, expected in theirs[name].items():
                    actual = mine[name].get(attribute)
                    if actual != expected:
                        lines.append(f"{table}.{part}.{name}.{attribute}: seed {expected!r}, ours {actual!r}")
    return lines
