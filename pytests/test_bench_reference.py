"""The benchmark's reference query computes the ledger's month x team cost, to the last decimal.

The reference (src/chargeback/bench/reference.sql) is one hand-written DuckDB query over the
landed Parquet files and the seed CSVs; the benchmark divides the build's time by its time, so
it only counts if it does the same work. The session's small demo (conftest.py: every route,
alias, contract and special case of the demo company, landed as Parquet) is read by both and
they are compared.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from chargeback.bench.reference import month_team_costs, reference_sql
from harness import Warehouse


@pytest.mark.parametrize("first_delivery", ["window", "hashed"])
def test_the_reference_equals_the_ledger_for_every_month_and_team(
    small_demo: Warehouse, first_delivery: str
) -> None:
    """Both forms of the reference (the window, and the hashed form used when the window runs
    out of memory) compute the ledger's figures."""
    ledger = {
        (str(month), team): cost
        for month, team, cost in small_demo.query(
            "select period_month, team_id, sum(cost_reporting) from marts.fct_request_costs"
            " where cost_reporting is not null group by all"
        )
    }
    sql = reference_sql(
        str(small_demo.landing / "gateway_requests" / "**" / "*.parquet"),
        small_demo.root / "seeds",
        currency="KZT",
        timezone="Asia/Almaty",
        first_delivery=first_delivery,
    )
    reference = month_team_costs(duckdb.connect(), sql)

    assert len(ledger) >= 12  # three months, several teams and the unallocated bucket
    assert reference.keys() == ledger.keys()
    assert {key: reference[key] - ledger[key] for key in ledger} == dict.fromkeys(
        ledger, Decimal(0)
    )
