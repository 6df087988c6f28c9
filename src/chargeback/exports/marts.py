"""Writes every table of the warehouse's `marts` schema as Parquet, for BI tools.

A BI tool cannot open the DuckDB file while dbt writes it (DuckDB allows one writing
process), and other tools do not read DuckDB files at all: after each build the marts are
copied to Parquet, which anything can read while dbt runs again.

Layout under the export folder (default exports/marts/):
  <mart>.parquet                          a mart in one file;
  <mart>/period_month=YYYY-MM-DD/*.parquet  the large marts (PARTITIONED), one folder per
                                          reporting month (Hive partitioning: DuckDB, Spark,
                                          Trino, pandas and Power BI read the column back);
  manifest.json                           each mart's rows, bytes, columns and layout, and when
                                          the export was written.
Counts that DuckDB sums into 128-bit integers (HUGEINT, which Parquet has no type for and
DuckDB would write as a double) are written as 64-bit integers; a count too large for them
fails the export instead of losing digits. Each mart is written to a temporary path first
and moved into place when complete, so a reader sees the previous copy or the new one, never
half a file. Marts that no longer exist in the warehouse are removed from the folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chargeback.warehouse import connect_read_only

SCHEMA = "marts"
DEFAULT_DIR = Path("exports/marts")
MANIFEST = "manifest.json"
# The marts with a row per call or per charge, split by reporting month.
PARTITIONED: dict[str, str] = {"fct_request_costs": "period_month"}


@dataclass(frozen=True)
class MartExport:
    """One exported mart."""

    mart: str
    path: str
    rows: int
    size_bytes: int
    columns: int
    partitioned_by: str | None


def mart_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts (tables and views) of the marts schema, by name."""
    rows = connection.execute(
        "select table_name from information_schema.tables"
        " where table_schema = ? and table_type in ('BASE TABLE', 'VIEW') order by table_name",
        [SCHEMA],
    ).fetchall()
    return [str(name) for (name,) in rows]


def folder_size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def remove(path: Path) -> None:
    """Removes an exported file or partitioned folder, if there is one."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def replace(staged: Path, final: Path) -> None:
    """Moves a completed export into place, removing the previous one."""
    remove(final)
    staged.rename(final)


def quoted(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def select_list(connection: duckdb.DuckDBPyConnection, mart: str) -> tuple[str, int]:
    """The mart's columns in order, HUGEINT ones cast to BIGINT, and how many there are."""
    rows = connection.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [SCHEMA, mart],
    ).fetchall()
    columns = [
        f'cast("{name}" as bigint) as "{name}"' if data_type == "HUGEINT" else f'"{name}"'
        for name, data_type in rows
    ]
    return ", ".join(columns), len(columns)


def export_mart(connection: duckdb.DuckDBPyConnection, mart: str, out: Path) -> MartExport:
    """Copies one mart to Parquet in `out`, whole or partitioned by month."""
    partition = PARTITIONED.get(mart)
    final = out / (mart if partition else f"{mart}.parquet")
    staged = out / f".{final.name}.writing"
    remove(staged)
    options = "format parquet, compression zstd"
    if partition:
        options += f", partition_by ({partition})"
    selected, columns = select_list(connection, mart)
    connection.execute(
        f"copy (select {selected} from {SCHEMA}.{mart}) to {quoted(str(staged))} ({options})"
    )
    rows = connection.execute(f"select count(*) from {SCHEMA}.{mart}").fetchone()
    replace(staged, final)
    return MartExport(
        mart=mart,
        path=str(final.relative_to(out)),
        rows=int(rows[0]) if rows else 0,
        size_bytes=folder_size(final),
        columns=columns,
        partitioned_by=partition,
    )


def remove_stale(out: Path, marts: Sequence[str]) -> None:
    """Removes exported marts that the warehouse no longer has."""
    kept = {mart if mart in PARTITIONED else f"{mart}.parquet" for mart in marts}
    for item in out.iterdir():
        if item.name == MANIFEST or item.name in kept:
            continue
        if item.name.startswith(("fct_", "dim_")):
            remove(item)


def export_marts(database: Path | None, out: Path) -> list[MartExport]:
    """Every mart to Parquet under `out`, and the manifest; fails when there is no warehouse."""
    out.mkdir(parents=True, exist_ok=True)
    with connect_read_only(database) as connection:
        marts = mart_names(connection)
        if not marts:
            raise FileNotFoundError(f"the warehouse has no {SCHEMA} schema: run `dbt build` first")
        exports = [export_mart(connection, mart, out) for mart in marts]
    remove_stale(out, marts)
    manifest = {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "marts": [asdict(export) for export in exports],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return exports


def format_exports(exports: Sequence[MartExport]) -> str:
    """A line per mart: rows, size and path."""
    lines = [f"  {'mart':<34}{'rows':>12}{'size':>12}  path"]
    for export in exports:
        size = f"{export.size_bytes / 1024:,.0f} KiB"
        lines.append(f"  {export.mart:<34}{export.rows:>12,}{size:>12}  {export.path}")
    return "\n".join(lines)
