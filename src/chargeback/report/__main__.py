"""`python -m chargeback.report [--period YYYY-MM]`: writes one period's month-end pack."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from chargeback.report.analyses import compile_analyses
from chargeback.report.charts import (
    reconciliation_waterfall_chart,
    spend_by_team_chart,
    unit_cost_chart,
)
from chargeback.report.consistent import one_figure_per_amount
from chargeback.report.header import built_from, last_dbt_run, pack_header
from chargeback.report.pack import build_tables
from chargeback.report.settings import Settings
from chargeback.report.tables import rounded
from chargeback.report.writers import write_csv, write_workbook
from chargeback.warehouse import connect_read_only

LATEST_INVOICED_PERIOD = (
    "select max(billing_period_start) from marts.fct_invoice_reconciliation where has_invoice"
)


def parse_period(text: str) -> date:
    """'2026-10' (or '2026-10-01') as the first day of that month."""
    parts = text.strip().split("-")
    if len(parts) < 2:
        raise argparse.ArgumentTypeError(f"period must look like 2026-10, not {text!r}")
    return date(int(parts[0]), int(parts[1]), 1)


def write_pack(
    project_dir: Path, period: date | None, output_root: Path, database: Path | None
) -> Path:
    """Compiles the analyses, builds and rounds the tables, writes workbook, CSVs and charts."""
    settings = Settings.from_project(project_dir)
    dbt_run = last_dbt_run(project_dir)  # before compiling the analyses writes its own record
    compiled = compile_analyses(project_dir)
    with connect_read_only(database) as connection:
        if period is None:
            latest = connection.execute(LATEST_INVOICED_PERIOD).fetchone()
            if not latest or latest[0] is None:
                raise SystemExit("no invoiced period in the warehouse: pass --period")
            period = latest[0]
        assert period is not None
        folder = output_root / f"{period:%Y-%m}"
        header = pack_header(
            connection, period, settings, built_from(connection, project_dir, dbt_run)
        )
        exact = build_tables(connection, compiled, period, settings)
        tables = one_figure_per_amount(
            exact,
            [rounded(table, settings.reporting_currency) for table in exact],
            settings.reporting_currency,
        )
        chart_dir = folder / "charts"
        chart_dir.mkdir(parents=True, exist_ok=True)
        charts = {
            "Summary": [
                spend_by_team_chart(
                    connection, period, settings.reporting_currency, chart_dir / "spend_by_team.png"
                )
            ],
            "Reconciliation": [
                reconciliation_waterfall_chart(
                    connection, period, chart_dir / "invoice_waterfall.png"
                )
            ],
            "Unit cost": [
                unit_cost_chart(
                    connection, period, settings.reporting_currency, chart_dir / "unit_cost.png"
                )
            ],
        }
    for table in tables:
        write_csv(table, header, folder / "csv" / f"{table.file_stem}.csv")
    return write_workbook(
        tables,
        header,
        charts,
        folder / f"month_end_pack_{period:%Y-%m}.xlsx",
        settings.reporting_currency,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--period", type=parse_period, help="YYYY-MM; default: the latest invoiced month"
    )
    parser.add_argument("--out", type=Path, default=Path("reports"), help="folder of the packs")
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="the dbt project")
    parser.add_argument(
        "--database", type=Path, default=None, help="the DuckDB file (default as dbt)"
    )
    arguments = parser.parse_args()
    started = time.perf_counter()
    workbook = write_pack(
        arguments.project_dir, arguments.period, arguments.out, arguments.database
    )
    size = sum(f.stat().st_size for f in workbook.parent.rglob("*") if f.is_file())
    print(
        f"month-end pack: {workbook} ({size / 1024:.0f} KiB with CSVs and charts, "
        f"{time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
