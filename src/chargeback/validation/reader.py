"""Reads the relations to validate from the DuckDB warehouse into pandas DataFrames.

The file is opened read-only, once, and closed as soon as every relation has been read: the
warehouse allows a single writer (dbt), so a held lock is waited for, never fought.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from chargeback.validation.specs import SuiteSpec
from chargeback.warehouse import connect_read_only

COLUMNS_OF = """
    select column_name
    from information_schema.columns
    where table_schema = ? and table_name = ?
    order by ordinal_position
"""


# Integer columns stay integers when they hold nulls (pandas nullable dtypes, not float64).
NULLABLE_INTEGERS: dict[pa.DataType, pd.api.extensions.ExtensionDtype] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
}


class WarehouseLockedError(RuntimeError):
    """The warehouse stayed locked by another process (a running dbt) for too long."""


@dataclass(frozen=True)
class LoadedTable:
    """One relation as read: the frame, which of its columns are DECIMAL, all its columns."""

    relation: str
    frame: pd.DataFrame
    decimal_columns: frozenset[str]
    available_columns: tuple[str, ...]

    @property
    def found(self) -> bool:
        """False when the relation does not exist in the warehouse."""
        return bool(self.available_columns)


def quote(identifier: str) -> str:
    """A DuckDB identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


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


def read_table(connection: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> LoadedTable:
    """The suite's columns of its relation (an empty frame when the relation is missing)."""
    schema, _, table = spec.relation.rpartition(".")
    available = tuple(
        row[0] for row in connection.execute(COLUMNS_OF, [schema or "main", table]).fetchall()
    )
    columns = spec.columns_to_read(available)
    if not columns:
        return LoadedTable(spec.relation, pd.DataFrame(), frozenset(), available)
    select = ", ".join(quote(column) for column in columns)
    source = ".".join(quote(part) for part in spec.relation.split("."))
    arrow = connection.sql(f"select {select} from {source}").to_arrow_table()
    decimals = frozenset(field.name for field in arrow.schema if pa.types.is_decimal(field.type))
    frame = arrow.to_pandas(types_mapper=NULLABLE_INTEGERS.get)
    return LoadedTable(spec.relation, frame, decimals, available)


def read_tables(
    database: Path, specs: Sequence[SuiteSpec], *, lock_timeout: float = 300.0
) -> dict[str, LoadedTable]:
    """Every suite's relation, by suite name, read in one short read-only session."""
    connection = connect_when_free(database, lock_timeout)
    try:
        connection.execute("set enable_progress_bar = false")
        return {spec.name: read_table(connection, spec) for spec in specs}
    finally:
        connection.close()
