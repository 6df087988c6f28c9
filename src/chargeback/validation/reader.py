"""Reads the relations to validate from the DuckDB warehouse into pandas DataFrames.

The file is opened read-only, once, and closed as soon as everything has been read: the
warehouse allows a single writer (dbt), so a held lock is waited for, never fought. Each
relation is read once: the columns its suites name, and the boolean columns they compute
(`SqlColumn`), through Arrow into pandas `ArrowDtype` columns (exact decimals, no copies). A
suite with its own SQL (history, the catalogue) gets DuckDB's result of it, over the relation
as read.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from chargeback.validation.checks import SqlColumn, SuitePlan
from chargeback.warehouse import connect_read_only

COLUMNS_OF = """
    select column_name
    from information_schema.columns
    where table_schema = ? and table_name = ?
    order by ordinal_position
"""


class WarehouseLockedError(RuntimeError):
    """The warehouse stayed locked by another process (a running dbt) for too long."""


@dataclass(frozen=True)
class LoadedTable:
    """One suite's frame as read; `errors` names the computed columns DuckDB could not evaluate."""

    relation: str
    frame: pd.DataFrame
    found: bool
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    """Every suite's frame, by suite name, and the value sets the suites need."""

    tables: dict[str, LoadedTable]
    value_sets: dict[tuple[str, str], list[Any]]


def quote(relation: str) -> str:
    """A DuckDB identifier (column, or schema.table) in double quotes."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in relation.split("."))


def connect_when_free(
    database: Path, lock_timeout: float, poll_seconds: float = 2.0
) -> duckdb.DuckDBPyConnection:
    """A read-only connection, retried while another process holds the write lock."""
    deadline = time.monotonic() + lock_timeout
    while True:
        try:
            return connect_read_only(database)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"{database} is still locked after {lock_timeout:.0f} s: {error}"
                ) from error
            time.sleep(poll_seconds)


def columns_of(connection: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """The relation's columns in order (none when it does not exist)."""
    schema, _, table = relation.rpartition(".")
    return [row[0] for row in connection.execute(COLUMNS_OF, [schema or "main", table]).fetchall()]


def read_relation(
    connection: duckdb.DuckDBPyConnection,
    relation: str,
    wanted: Sequence[str],
    computed: Sequence[SqlColumn],
) -> tuple[pa.Table, tuple[str, ...]]:
    """The wanted columns and the computed ones; a computed column DuckDB cannot evaluate is
    left out (its expectations then fail) and named with DuckDB's error."""
    source = quote(relation)
    columns = [quote(column) for column in wanted]
    try:
        selected = [*columns, *(column.select() for column in computed)]
        return connection.sql(f"select {', '.join(selected)} from {source}").to_arrow_table(), ()
    except duckdb.Error:
        selected, errors = list(columns), []
    for column in computed:
        try:
            connection.sql(f"select {column.select()} from {source} limit 0").fetchall()
            selected.append(column.select())
        except duckdb.Error as error:
            errors.append(f"{column.name}: {str(error).splitlines()[0]}")
    table = connection.sql(f"select {', '.join(selected)} from {source}").to_arrow_table()
    return table, tuple(errors)


def as_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def run_query(
    connection: duckdb.DuckDBPyConnection, plan: SuitePlan, read: pa.Table | None, view: str
) -> LoadedTable:
    """The result of the plan's SQL, over the relation as read when it names `{relation}`."""
    sql = plan.sql or ""
    registered = "{relation}" in sql
    if registered:
        if read is None:
            return LoadedTable(plan.relation, pd.DataFrame(), found=False)
        connection.register(view, read)
        sql = sql.format(relation=view)
    try:
        return LoadedTable(plan.relation, as_frame(connection.sql(sql).to_arrow_table()), True)
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        return LoadedTable(plan.relation, pd.DataFrame(), False, (message,))
    finally:
        if registered:
            connection.unregister(view)


def read_value_set(connection: duckdb.DuckDBPyConnection, relation: str, column: str) -> list[Any]:
    """The distinct non-null values of a column (empty when the relation is missing)."""
    if column not in columns_of(connection, relation):
        return []
    name = quote(column)
    rows = connection.sql(
        f"select distinct {name} from {quote(relation)} where {name} is not null order by 1"
    ).fetchall()
    return [row[0] for row in rows]


def read_all(connection: duckdb.DuckDBPyConnection, plans: Sequence[SuitePlan]) -> Reading:
    """Each relation read once, with the columns every suite on it needs; then each suite's
    frame: the relation as read, or its query's result."""
    by_relation: dict[str, list[SuitePlan]] = {}
    for plan in plans:
        if plan.reads_relation:
            by_relation.setdefault(plan.relation, []).append(plan)
    read: dict[str, tuple[pa.Table, tuple[str, ...]]] = {}
    for relation, group in by_relation.items():
        present = columns_of(connection, relation)
        if present:
            needed = {column for plan in group for column in plan.columns_read()}
            wanted = [column for column in present if column in needed] or present[:1]
            computed = list({c.name: c for plan in group for c in plan.columns}.values())
            read[relation] = read_relation(connection, relation, wanted, computed)
    tables: dict[str, LoadedTable] = {}
    for number, plan in enumerate(plans):
        arrow, errors = read.get(plan.relation, (None, ()))
        if plan.sql is not None:
            tables[plan.name] = run_query(connection, plan, arrow, f"read_{number}")
        elif arrow is None:
            tables[plan.name] = LoadedTable(plan.relation, pd.DataFrame(), found=False)
        else:
            tables[plan.name] = LoadedTable(plan.relation, as_frame(arrow), True, errors)
    wanted_sets = {check.value_set_from for plan in plans for check in plan.checks}
    value_sets = {
        key: read_value_set(connection, *key) for key in sorted(filter(None, wanted_sets))
    }
    return Reading(tables, value_sets)


def read_tables(
    database: Path, plans: Sequence[SuitePlan], *, lock_timeout: float = 300.0
) -> Reading:
    """Every suite's frame, read in one short read-only session."""
    connection = connect_when_free(database, lock_timeout)
    try:
        connection.execute("set enable_progress_bar = false")
        return read_all(connection, plans)
    finally:
        connection.close()
