"""Writes marts.fct_focus_costs as FOCUS 1.0 files, one CSV and one Parquet per billing period.

A billing period is the mart's x_billing_month (the first day of the period in its issuer's
time zone): the providers' invoices and the shared platform costs of the same month go to one
pair of files, `focus_<version>_<YYYY-MM>.csv` and `.parquet`. Columns are the FOCUS column
ids (columns.focus_name), the four copies the validator checks (columns.VALIDATOR_ALIASES),
then the x_ columns.

Types: the CSV holds every amount exactly as the warehouse does (decimal text; a FOCUS
Decimal always with a decimal point), date/times as ISO 8601 UTC ('2026-10-01T00:00:00Z'),
and text quoted, with a leading single quote where a spreadsheet would read it as a formula
(chargeback.safe_text; DECISIONS.md, "Outputs safe to open").
The Parquet file holds FOCUS Decimals as IEEE 754 doubles (FOCUS's numeric format, and what
the validator's type checks expect) and date/times as UTC timestamps.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chargeback.focus.columns import (
    CUSTOM_PREFIX,
    DECIMAL_COLUMNS,
    FOCUS_VERSION,
    VALIDATOR_ALIASES,
    export_columns,
    focus_name,
)
from chargeback.safe_text import csv_field, csv_line, csv_row
from chargeback.warehouse import connect_read_only

MART = "marts.fct_focus_costs"
PERIOD_COLUMN = "x_billing_month"
EXPORT_PERIOD_COLUMN = focus_name(PERIOD_COLUMN)
FILE_PATTERN = "focus_*_????-??.*"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ExportedFile:
    """One written file."""

    path: Path
    rows: int
    size_bytes: int


@dataclass(frozen=True)
class PeriodExport:
    """The files of one billing period and the totals they hold."""

    billing_period: date
    rows: int
    billed_cost: Decimal
    effective_cost: Decimal
    files: tuple[ExportedFile, ...]


def file_stem(billing_period: date) -> str:
    """'focus_1.0_2026-10'."""
    return f"focus_{FOCUS_VERSION}_{billing_period:%Y-%m}"


def read_charges(database: Path | None, periods: Sequence[date] = ()) -> pa.Table:
    """The mart's rows (of the given billing periods, else all), in a stable order."""
    where = ""
    parameters: list[Any] = []
    if periods:
        where = f"where {PERIOD_COLUMN} in ({', '.join('?' for _ in periods)})"
        parameters = list(periods)
    sql = f"select * from {MART} {where} order by {PERIOD_COLUMN}, charge_period_start, x_charge_id"
    with connect_read_only(database) as connection:
        return connection.execute(sql, parameters).to_arrow_table()


def renamed(mart: pa.Table) -> pa.Table:
    """The mart's table under the export's names, with the validator's copies after the
    FOCUS columns and before the custom ones."""
    names = export_columns(mart.column_names)
    table = mart.rename_columns(names)
    focus = [name for name in names if not name.startswith(CUSTOM_PREFIX)]
    custom = [name for name in names if name.startswith(CUSTOM_PREFIX)]
    columns = [table.column(name) for name in focus]
    columns += [table.column(source) for source in VALIDATOR_ALIASES.values()]
    columns += [table.column(name) for name in custom]
    return pa.table(columns, names=[*focus, *VALIDATOR_ALIASES, *custom])


def parquet_types(table: pa.Table) -> pa.Table:
    """Decimals as doubles, timestamps (UTC wall time in the warehouse) as UTC timestamps."""
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_decimal(field.type):
            column = column.cast(pa.float64())
        elif pa.types.is_timestamp(field.type) and field.type.tz is None:
            column = column.cast(pa.timestamp("us", tz="UTC"))
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def decimal_text(value: Decimal, *, with_point: bool) -> str:
    """Plain decimal text without trailing zeros ('12.5'); with_point keeps one ('3.0')."""
    if value.is_zero():
        return "0.0" if with_point else "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if with_point and "." not in text:
        text += ".0"
    return text


def csv_text(value: Any, column: str) -> str:
    """One CSV field: ISO 8601 UTC date/times, exact decimals, true/false, '' for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value, with_point=column in DECIMAL_COLUMNS)
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
        return f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and column in DECIMAL_COLUMNS and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def write_csv(table: pa.Table, path: Path) -> ExportedFile:
    """The table as CSV (RFC 4180 quoting), header first. Text fields are quoted and those a
    spreadsheet could read as a formula get a leading single quote (safe_text.csv_field);
    amounts, date/times and booleans are written by csv_text, never prefixed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = table.column_names
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(csv_row(names))
        for row in table.to_pylist():
            handle.write(
                csv_line(csv_field(row[name], csv_text(row[name], name)) for name in names)
            )
    return ExportedFile(path, table.num_rows, path.stat().st_size)


def write_parquet(table: pa.Table, path: Path) -> ExportedFile:
    """The table as Parquet with the FOCUS types (parquet_types)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(parquet_types(table), path)
    return ExportedFile(path, table.num_rows, path.stat().st_size)


def exact_sum(table: pa.Table, column: str) -> Decimal:
    """The exact sum of a decimal column."""
    return sum(
        (value for value in table.column(column).to_pylist() if value is not None), Decimal(0)
    )


def remove_previous_files(out_dir: Path) -> None:
    """Removes the files an earlier export wrote, so that no stale period is left behind."""
    for path in out_dir.glob(FILE_PATTERN):
        path.unlink()
    (out_dir / MANIFEST).unlink(missing_ok=True)


def export_periods(
    database: Path | None, out_dir: Path, periods: Sequence[date] = ()
) -> list[PeriodExport]:
    """Writes the CSV and Parquet file of each billing period and a manifest; returns them."""
    mart = read_charges(database, periods)
    if mart.num_rows == 0:
        raise SystemExit(f"no rows in {MART}{' for those periods' if periods else ''}: build first")
    table = renamed(mart)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not periods:
        remove_previous_files(out_dir)
    exports: list[PeriodExport] = []
    billing_periods = sorted(set(table.column(EXPORT_PERIOD_COLUMN).to_pylist()))
    for billing_period in billing_periods:
        period_table = table.filter(pc.equal(table.column(EXPORT_PERIOD_COLUMN), billing_period))
        stem = file_stem(billing_period)
        files = (
            write_csv(period_table, out_dir / f"{stem}.csv"),
            write_parquet(period_table, out_dir / f"{stem}.parquet"),
        )
        exports.append(
            PeriodExport(
                billing_period=billing_period,
                rows=period_table.num_rows,
                billed_cost=exact_sum(period_table, "BilledCost"),
                effective_cost=exact_sum(period_table, "EffectiveCost"),
                files=files,
            )
        )
    write_manifest(out_dir, exports, currencies(table))
    return exports


def currencies(table: pa.Table) -> list[str]:
    """The billing currencies in the export."""
    return sorted({value for value in table.column("BillingCurrency").to_pylist() if value})


def write_manifest(
    out_dir: Path, exports: Sequence[PeriodExport], billing_currencies: list[str]
) -> Path:
    """manifest.json: the FOCUS version, the billing currency and each period's files and totals."""
    manifest = {
        "focus_version": FOCUS_VERSION,
        "source": MART,
        "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "billing_currencies": billing_currencies,
        "billing_periods": [
            {
                "billing_period": f"{export.billing_period:%Y-%m}",
                "rows": export.rows,
                "billed_cost": str(export.billed_cost),
                "effective_cost": str(export.effective_cost),
                "files": [
                    {"file": file.path.name, "rows": file.rows, "bytes": file.size_bytes}
                    for file in export.files
                ],
            }
            for export in exports
        ],
    }
    path = out_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return path


def format_exports(exports: Sequence[PeriodExport]) -> str:
    """One line per file and a total line."""
    lines = []
    for export in exports:
        for file in export.files:
            lines.append(f"  {file.path}  {file.rows:,} rows  {file.size_bytes:,} bytes")
    rows = sum(export.rows for export in exports)
    size = sum(file.size_bytes for export in exports for file in export.files)
    lines.append(f"  {len(exports)} billing periods, {rows:,} rows, {size:,} bytes in all")
    return "\n".join(lines)
