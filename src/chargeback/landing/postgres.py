"""Copies the staged landing relations into Postgres tables of the same shape (all text)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from chargeback.landing.stage import LandedTable, landed_rows, landed_tables


def connection_settings(environment: Mapping[str, str] = os.environ) -> dict[str, str | int]:
    """The postgres target's connection, from the same variables and defaults as the profile."""
    return {
        "host": environment.get("CHARGEBACK_PG_HOST", "127.0.0.1"),
        "port": int(environment.get("CHARGEBACK_PG_PORT", "55439")),
        "user": environment.get("CHARGEBACK_PG_USER", "chargeback"),
        "password": environment.get("CHARGEBACK_PG_PASSWORD", ""),
        "dbname": environment.get("CHARGEBACK_PG_DATABASE", "chargeback"),
    }


def copy_text(rows: Iterable[tuple[str | None, ...]]) -> str:
    """Rows in COPY's text format: tab-separated, \\N for null, special characters escaped."""
    lines = []
    for row in rows:
        fields = []
        for value in row:
            if value is None:
                fields.append("\\N")
            else:
                fields.append(
                    value.replace("\\", "\\\\")
                    .replace("\t", "\\t")
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                )
        lines.append("\t".join(fields) + "\n")
    return "".join(lines)


def load(staged: duckdb.DuckDBPyConnection, schema: str) -> dict[str, int]:
    """Replaces every landing table of `schema` with the staged relation; rows per table."""
    import psycopg2

    counts: dict[str, int] = {}
    with psycopg2.connect(**connection_settings()) as connection, connection.cursor() as cursor:
        cursor.execute(f'create schema if not exists "{schema}"')
        for table in landed_tables(staged, schema):
            counts[table.name] = _replace_table(cursor, staged, schema, table)
    return counts


def _replace_table(
    cursor: Any, staged: duckdb.DuckDBPyConnection, schema: str, table: LandedTable
) -> int:
    """Empties the table (kept when its columns are the same, so that the staging views over
    it stay) or makes it anew, then copies the staged rows in."""
    target = f'"{schema}"."{table.name}"'
    cursor.execute(
        "select column_name from information_schema.columns"
        " where table_schema = %s and table_name = %s order by ordinal_position",
        (schema, table.name),
    )
    existing = tuple(name for (name,) in cursor.fetchall())
    if existing == table.columns:
        cursor.execute(f"truncate table {target}")
    else:
        columns = ", ".join(f'"{column}" text' for column in table.columns)
        cursor.execute(f"drop table if exists {target} cascade")
        cursor.execute(f"create table {target} ({columns})")
    count = 0
    for batch in landed_rows(staged, schema, table):
        cursor.copy_expert(
            f"copy {target} from stdin with (format text)", io.StringIO(copy_text(batch))
        )
        count += len(batch)
    return count
