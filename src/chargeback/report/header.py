"""The header every sheet and CSV file starts with: what the numbers are and how they were made."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from chargeback.git_state import commit_of
from chargeback.report.settings import Settings

FX_RULES = {
    "monthly_fixed": "one rate per month: the rate of the month's first day",
    "daily": "the rate of each request's day in the reporting time zone",
}


def fx_rates_used(connection: duckdb.DuckDBPyConnection, period: date, currency: str) -> str:
    """The rates the period's ledger and invoices were converted with, as one line."""
    ledger = connection.execute(
        """
        select
            price_currency, min(fx_rate_date), min(fx_rate), max(fx_rate), count(distinct fx_rate)
        from marts.fct_request_costs
        where period_month = ? and is_priced and price_currency <> ?
        group by price_currency
        order by price_currency
        """,
        [period, currency],
    ).fetchall()
    invoices = connection.execute(
        """
        select distinct invoice_currency, billing_period_start, invoice_fx_rate
        from marts.fct_invoice_reconciliation
        where billing_period_start = ? and has_invoice and invoice_currency <> ?
        order by invoice_currency
        """,
        [period, currency],
    ).fetchall()
    parts = []
    for source, rate_date, low, high, rates in ledger:
        shown = f"{low:.6f}" if rates == 1 else f"{low:.6f} to {high:.6f} ({rates} daily rates)"
        parts.append(f"ledger 1 {source} = {shown} {currency} (from {rate_date})")
    for source, rate_date, rate in invoices:
        parts.append(f"invoices 1 {source} = {rate:.6f} {currency} ({rate_date})")
    return "; ".join(parts) or f"none needed (everything in {currency})"


def price_table_version(connection: duckdb.DuckDBPyConnection, period: date) -> str:
    """The price sources the period was priced with and a fingerprint of the price table."""
    sources = [
        row[0]
        for row in connection.execute(
            "select distinct price_source from marts.fct_request_costs "
            "where period_month = ? and price_source is not null order by 1",
            [period],
        ).fetchall()
    ]
    rows = connection.execute("select * from reference.model_prices order by all").fetchall()
    fingerprint = hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
    named = ", ".join(sources) or "no priced rows"
    return f"{named}; model_prices sha256 {fingerprint} ({len(rows)} rows)"


def last_dbt_run(project_dir: Path) -> str:
    """The dbt command that built the warehouse (target/run_results.json, read before the pack
    compiles its analyses): its kind, invocation id and time."""
    path = project_dir / "target" / "run_results.json"
    if not path.exists():
        return "no dbt run recorded in target/"
    results = json.loads(path.read_text())
    metadata, arguments = results.get("metadata", {}), results.get("args", {})
    return (
        f"dbt {arguments.get('which', 'run')} {metadata.get('invocation_id', '?')} at"
        f" {str(metadata.get('generated_at', '?'))[:19].replace('T', ' ')} UTC"
    )


def files_checksum(paths: list[Path], root: Path | None = None) -> str:
    """One sha256 over the files' names (relative to `root`) and contents, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root) if root else path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"gone")
    return digest.hexdigest()[:16]


def built_from(connection: duckdb.DuckDBPyConnection, project_dir: Path, dbt_run: str) -> str:
    """What the figures were built from: the dbt run, the commit, and checksums of the landed
    files the warehouse accounts for (fct_landed_files) and of the seeds."""
    landed = [
        Path(row[0])
        for row in connection.execute("select source_file from marts.fct_landed_files").fetchall()
    ]
    seeds = sorted((project_dir / "seeds").glob("*.csv"))
    return (
        f"{dbt_run}; commit {commit_of(project_dir)}; landed files"
        f" sha256 {files_checksum(landed)} ({len(landed)} files); seeds sha256"
        f" {files_checksum(seeds, project_dir)} ({len(seeds)} files)"
    )


def pack_header(
    connection: duckdb.DuckDBPyConnection, period: date, settings: Settings, built: str
) -> list[tuple[str, str]]:
    """(label, value) lines: period, export date, what it was built from, currency, FX rule and
    rates, prices, rows."""
    ledger_rows = connection.execute(
        "select count(*) from marts.fct_request_costs where period_month = ?", [period]
    ).fetchone()
    currency = settings.reporting_currency
    return [
        (
            "Period",
            f"{period:%Y-%m} (reporting month in {settings.reporting_timezone}; "
            "invoices by billing period)",
        ),
        ("Exported at", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Built from", built),
        ("Reporting currency", currency),
        (
            "FX rule",
            f"{settings.fx_policy}: {FX_RULES.get(settings.fx_policy, settings.fx_policy)}",
        ),
        ("FX rates used", fx_rates_used(connection, period, currency)),
        ("Price table version", price_table_version(connection, period)),
        ("Ledger rows", f"{ledger_rows[0] if ledger_rows else 0:,}"),
    ]
