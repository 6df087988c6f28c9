"""Reads every table of the marts schema of an engine into Python values."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

SCHEMA = "marts"
# When a record was loaded and when the ledger priced it, and the fingerprint of the reference
# data the run priced with (each engine hashes with its own function): lineage of a run, not
# content.
LOAD_TIME_COLUMNS = frozenset({"loaded_at", "priced_at", "reference_data_fingerprint"})

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Mart:
    """One mart: its columns (without the load-time ones) and its rows, unordered."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def _compared(columns: list[str]) -> tuple[str, ...]:
    return tuple(column for column in columns if column.lower() not in LOAD_TIME_COLUMNS)


def duckdb_marts(database: Path) -> dict[str, Mart]:
    """The marts of a DuckDB warehouse file."""
    with duckdb.connect(str(database), read_only=True) as connection:
        listed = connection.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = ? order by table_name, ordinal_position",
            [SCHEMA],
        ).fetchall()
        marts = {}
        for table, columns in _by_table(listed).items():
            kept = _compared(columns)
            rows = connection.execute(f"select {', '.join(kept)} from {SCHEMA}.{table}").fetchall()
            marts[table] = Mart(table, kept, tuple(rows))
    return marts


def postgres_marts(settings: Mapping[str, Any]) -> dict[str, Mart]:
    """The marts of a Postgres database (psycopg2 connection settings)."""
    import psycopg2

    with psycopg2.connect(**settings) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = %s order by table_name, ordinal_position",
            (SCHEMA,),
        )
        marts = {}
        for table, columns in _by_table(cursor.fetchall()).items():
            kept = _compared(columns)
            cursor.execute(f"select {', '.join(kept)} from {SCHEMA}.{table}")
            marts[table] = Mart(table, kept, tuple(tuple(row) for row in cursor.fetchall()))
    return marts


def spark_marts(project_dir: Path, out: Path, environment: Mapping[str, str]) -> dict[str, Mart]:
    """The marts of the Spark warehouse of a project, read by a Spark session of its own
    process (dbt's and this one cannot share the embedded metastore at the same time)."""
    completed = subprocess.run(
        [sys.executable, "-m", "chargeback.compare.spark_dump", str(project_dir), str(out)],
        env={**environment, "TZ": "UTC"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError("reading the Spark marts failed:\n" + completed.stderr[-4000:])
    with out.open("rb") as dumped:
        marts: dict[str, Mart] = pickle.load(dumped)
    return marts


def _by_table(listed: list[tuple[str, str]]) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for table, column in listed:
        tables.setdefault(table, []).append(column)
    return tables


def spark_dump(project_dir: Path, out: Path) -> None:
    """Writes the marts of the project's Spark warehouse to `out` (a pickle of Marts)."""
    from chargeback.landing.spark import session, session_settings

    os.environ["TZ"] = "UTC"
    spark = session(session_settings(project_dir / "profiles"))
    try:
        marts = {}
        for table in sorted(
            row.tableName for row in spark.sql(f"show tables in {SCHEMA}").collect()
        ):
            frame = spark.table(f"{SCHEMA}.{table}")
            kept = _compared(frame.columns)
            rows = tuple(tuple(row) for row in frame.select(*kept).collect())
            marts[table] = Mart(table, kept, rows)
    finally:
        spark.stop()
    with out.open("wb") as dumped:
        pickle.dump(marts, dumped)
