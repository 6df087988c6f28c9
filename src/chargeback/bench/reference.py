"""python -m chargeback.bench.reference: the benchmark's reference query, timed on its own.

Runs reference.sql (one hand-written DuckDB query: month x team cost in the reporting currency
straight from the landed Parquet files and the seed CSVs, with the ledger's rules) with the
profile's DuckDB settings, and writes the result as CSV. The bench compares it with the ledger
to the cent: the reference only counts if it computes the same figures.
"""

from __future__ import annotations

import argparse
import csv
import os
from decimal import Decimal
from pathlib import Path

import duckdb

SQL = Path(__file__).with_name("reference.sql")

# How the first delivery of each call is chosen, fastest first. The window holds every clean
# record's columns at once; the hashed form finds the keys seen more than once by their 64-bit
# hash (a small aggregate), ranks only those calls, and reads the clean records again.
FIRST_DELIVERY: dict[str, tuple[str, str]] = {
    "window": (
        "",
        """counted_once as (
    select *
    from clean
    qualify row_number() over (
        partition by match_key order by request_id, filename, file_row_number
    ) = 1
),""",
    ),
    "hashed": (
        "not materialized ",
        """-- keys seen more than once, by their 64-bit hash (a collision only sends a few more
-- calls through the window below, which ranks by the key itself)
shared_key_hashes as (
    select hash(match_key) as key_hash
    from clean
    group by hash(match_key)
    having count(*) > 1
),

counted_once as (
    select clean.*
    from clean
    anti join shared_key_hashes
        on hash(clean.match_key) = shared_key_hashes.key_hash
    union all
    select clean.*
    from clean
    semi join shared_key_hashes
        on hash(clean.match_key) = shared_key_hashes.key_hash
    qualify row_number() over (
        partition by match_key order by request_id, filename, file_row_number
    ) = 1
),""",
    ),
}


def reference_sql(
    requests_glob: str,
    seeds: Path,
    currency: str,
    timezone: str,
    carry_forward_days: int = 5,
    max_future_hours: int = 24,
    first_delivery: str = "window",
) -> str:
    clean_materialization, counted_once = FIRST_DELIVERY[first_delivery]
    return SQL.read_text().format(
        clean_materialization=clean_materialization,
        counted_once=counted_once,
        requests=requests_glob,
        seeds=seeds,
        currency=currency,
        timezone=timezone,
        carry_forward_days=carry_forward_days,
        max_future_hours=max_future_hours,
    )


def month_team_costs(
    connection: duckdb.DuckDBPyConnection, sql: str
) -> dict[tuple[str, str], Decimal]:
    *setup, query = [statement for statement in sql.split(";\n") if statement.strip()]
    for statement in setup:
        connection.execute(statement)
    rows = connection.execute(query).fetchall()
    return {(str(month), team): cost for month, team, cost, _ in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--currency", default="KZT")
    parser.add_argument("--timezone", default="Asia/Almaty")
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("CHARGEBACK_DUCKDB_MEMORY_LIMIT", "3GB"),
        help="as the profile's (CHARGEBACK_DUCKDB_MEMORY_LIMIT, default 3GB)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--first-delivery",
        choices=sorted(FIRST_DELIVERY),
        default="window",
        help="window (fastest) or hashed (less memory, for what the window cannot hold)",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--temp-directory", type=Path, help="where DuckDB spills (default: beside --out)"
    )
    arguments = parser.parse_args()

    connection = duckdb.connect()
    connection.execute(f"set memory_limit = '{arguments.memory_limit}'")
    connection.execute(f"set threads = {arguments.threads}")
    connection.execute("set preserve_insertion_order = false")
    temp_directory = arguments.temp_directory or arguments.out.parent / "reference_tmp"
    connection.execute(f"set temp_directory = '{temp_directory}'")
    sql = reference_sql(
        str(arguments.landing / "gateway_requests" / "**" / "*.parquet"),
        arguments.seeds,
        arguments.currency,
        arguments.timezone,
        first_delivery=arguments.first_delivery,
    )
    costs = month_team_costs(connection, sql)
    with arguments.out.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["period_month", "team_id", "cost_reporting"])
        for (month, team), cost in sorted(costs.items()):
            writer.writerow([month, team, cost])


if __name__ == "__main__":
    main()
