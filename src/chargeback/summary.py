"""Prints the spend of each month by team, from the ledger, in the reporting currency."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from chargeback.warehouse import connect_read_only

SPEND_BY_TEAM = """
    select
        period_month,
        team_id,
        count(*) as requests,
        sum(cost_reporting) as spend,
        max(reporting_currency) as currency,
        sum(case when is_priced then 0 else 1 end) as unpriced_requests
    from marts.fct_request_costs
    group by period_month, team_id
    order by period_month, spend desc nulls last, team_id
"""


def spend_by_team(database: Path | None = None) -> list[tuple[str, str, int, Decimal, str, int]]:
    """Rows of (period month, team, requests, spend, currency, unpriced requests)."""
    with connect_read_only(database) as connection:
        rows = connection.execute(SPEND_BY_TEAM).fetchall()
    return [
        (str(month), team, int(requests), Decimal(spend or 0), currency, int(unpriced))
        for month, team, requests, spend, currency, unpriced in rows
    ]


def format_summary(rows: list[tuple[str, str, int, Decimal, str, int]]) -> str:
    """A plain-text table per month with a total line, amounts rounded to 2 decimals."""
    lines: list[str] = []
    months = sorted({row[0] for row in rows})
    for month in months:
        month_rows = [row for row in rows if row[0] == month]
        currency = month_rows[0][4]
        total = sum((row[3] for row in month_rows), Decimal(0))
        lines.append(f"\nSpend by team, {month[:7]} ({currency}, reporting time zone)")
        lines.append(f"  {'team':<16}{'requests':>12}{'spend':>20}{'share':>9}")
        for _, team, requests, spend, _, unpriced in month_rows:
            share = (spend / total * 100) if total else Decimal(0)
            note = f"  ({unpriced} unpriced)" if unpriced else ""
            lines.append(f"  {team:<16}{requests:>12,}{spend:>20,.2f}{share:>8.1f}%{note}")
        requests_total = sum(row[2] for row in month_rows)
        lines.append(f"  {'total':<16}{requests_total:>12,}{total:>20,.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, default=None, help="DuckDB file to read")
    arguments = parser.parse_args()
    print(format_summary(spend_by_team(arguments.database)))


if __name__ == "__main__":
    main()
