"""Reads the landing files with DuckDB, through the project's own landing hook."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chargeback.dbt_command import run_dbt


@dataclass(frozen=True)
class LandedTable:
    """One landing relation: its name and its columns (every one text), in order."""

    name: str
    columns: tuple[str, ...]


def stage(project_dir: Path, landing_dir: Path, database: Path) -> Path:
    """Runs `create_landing_relations` on DuckDB into `database` (views over the files)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    environment = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project_dir / "profiles"),
        "CHARGEBACK_LANDING_DIR": str(landing_dir),
        "CHARGEBACK_DUCKDB_PATH": str(database),
        "CHARGEBACK_TARGET": "dev",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    run_dbt(
        [
            "run-operation",
            "stage_landing_relations",
            "--target",
            "dev",
            # dbt's own files apart, so that the build's partial parsing is kept
            "--target-path",
            str(database.parent / "target"),
            "--log-path",
            str(database.parent / "logs"),
        ],
        project_dir,
        environment,
        "reading the landing files with DuckDB failed",
    )
    return database


def landed_tables(connection: duckdb.DuckDBPyConnection, schema: str) -> list[LandedTable]:
    """The landing relations of a staged DuckDB file, by name."""
    rows = connection.execute(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = ? order by table_name, ordinal_position",
        [schema],
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return [LandedTable(name, tuple(names)) for name, names in sorted(columns.items())]


def landed_rows(
    connection: duckdb.DuckDBPyConnection, schema: str, table: LandedTable, batch: int = 10_000
) -> Iterator[list[tuple[str | None, ...]]]:
    """The rows of a landing relation as text, in batches."""
    selected = ", ".join(f'cast("{column}" as varchar)' for column in table.columns)
    result = connection.execute(f'select {selected} from "{schema}"."{table.name}"')
    while rows := result.fetchmany(batch):
        yield rows
