"""Reads the relations to validate from the DuckDB warehouse into pandas DataFrames.

The file is opened read-only, once, and closed as soon as everything has been read: the
warehouse allows a single writer (dbt), so a held lock is waited for, never fought. Each
relation is read whole, with the boolean columns its suite computes (`SqlColumn`), through
Arrow: the frame keeps the warehouse's types (pandas `ArrowDtype`: exact decimals, integer
widths). A history suite's profile is computed by DuckDB over the relation as read.
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

from chargeback.validation.checks import SuitePlan
from chargeback.warehouse import connect_read_only

EXISTS = """
    select count(*) from information_schema.tables where table_schema = ? and table_name = ?
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
    """A DuckDB identifier (schema.table) in double quotes."""
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


def exists(connection: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, _, table = relation.rpartition(".")
    return bool(connection.execute(EXISTS, [schema or "main", table]).fetchone()[0])  # type: ignore[index]


def read_relation(
    connection: duckdb.DuckDBPyConnection, plan: SuitePlan
) -> tuple[pa.Table, tuple[str, ...]]:
    """The relation with the plan's computed columns; those DuckDB cannot evaluate are left
    out (their expectations then fail) and named."""
    source = quote(plan.relation)
    usable = [column.select() for column in plan.columns]
    errors: list[str] = []
    try:
        return connection.sql(
            f"select {', '.join(['*', *usable])} from {source}"
        ).to_arrow_table(), ()
    except duckdb.Error:
        usable = []
    for column in plan.columns:
        try:
            connection.sql(f"select {column.select()} from {source} limit 0").fetchall()
            usable.append(column.select())
        except duckdb.Error as error:
            errors.append(f"{column.name}: {str(error).splitlines()[0]}")
    table = connection.sql(f"select {', '.join(['*', *usable])} from {source}").to_arrow_table()
    return table, tuple(errors)


def as_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def read_value_set(connection: duckdb.DuckDBPyConnection, relation: str, column: str) -> list[Any]:
    """The distinct non-null values of a column (empty when the relation is missing)."""
    if not exists(connection, relation):
        return []
    name = '"' + column.replace('"', '""') + '"'
    rows = connection.sql(
        f"select distinct {name} from {quote(relation)} where {name} is not null order by 1"
    ).fetchall()
    return [row[0] for row in rows]


def read_all(connection: duckdb.DuckDBPyConnection, plans: Sequence[SuitePlan]) -> Reading:
    tables: dict[str, LoadedTable] = {}
    read: dict[str, pa.Table] = {}
    for plan in (plan for plan in plans if plan.profile_sql is None):
        if not exists(connection, plan.relation):
            tables[plan.name] = LoadedTable(plan.relation, pd.DataFrame(), found=False)
            continue
        arrow, errors = read_relation(connection, plan)
        read[plan.relation] = arrow
        tables[plan.name] = LoadedTable(plan.relation, as_frame(arrow), True, errors)
    for number, plan in enumerate(plan for plan in plans if plan.profile_sql is not None):
        if plan.relation not in read and exists(connection, plan.relation):
            read[plan.relation] = connection.sql(
                f"select * from {quote(plan.relation)}"
            ).to_arrow_table()
        if plan.relation not in read:
            tables[plan.name] = LoadedTable(plan.relation, pd.DataFrame(), found=False)
            continue
        view = f"profiled_{number}"
        connection.register(view, read[plan.relation])
        try:
            profile = connection.sql(plan.profile_sql.format(relation=view)).to_arrow_table()
            tables[plan.name] = LoadedTable(plan.relation, as_frame(profile), True)
        except duckdb.Error as error:
            message = str(error).splitlines()[0]
            tables[plan.name] = LoadedTable(plan.relation, pd.DataFrame(), False, (message,))
        finally:
            connection.unregister(view)
    wanted = {
        check.value_set_from for plan in plans for check in plan.checks if check.value_set_from
    }
    value_sets = {key: read_value_set(connection, *key) for key in sorted(wanted)}
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
