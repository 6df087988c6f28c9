"""The incremental ledger re-prices its lookback days when, and only when, reference data changed.

The lookback (`chargeback__incremental_lookback_days`) is there for late FX rates and ownership
changes: seed changes. This module's copy of the small demo company with late August calls
(late_august.py, built once a session) is taken; a ledger row of the last days is then
altered by hand, which only a re-pricing would undo. An incremental run with the same seeds
leaves it as it is (nothing was re-priced); after a team's cost centre changes in the seed,
the next run re-prices the lookback days (the altered row is right again, and carries the new
cost centre), while older days keep the cost centre they were priced with.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import duckdb
import pytest

from harness import Warehouse, build
from late_august import LOOSE

RUN_LEDGER = ("run", "--select", "int_request_costs_booked")
LOOKBACK_DAYS = 3


OCCURRED = {"since": ">=", "before": "<"}


def support_cost_centres(warehouse: Warehouse, occurred: str, moment: Any) -> set[str]:
    """The cost centres on the support team's ledger rows that occurred since (or before) a
    moment."""
    rows = warehouse.query(
        "select distinct cost_center from marts.fct_request_costs"
        f" where team_id = 'support' and occurred_at {OCCURRED[occurred]} ?",
        [moment],
    )
    return {row[0] for row in rows}


@pytest.fixture(scope="module")
def lookback(late_august_demo: Warehouse) -> dict[str, Any]:
    warehouse = late_august_demo  # this module's own copy, to change
    latest = warehouse.scalar("select max(occurred_at) from marts.fct_request_costs")
    inside = latest - timedelta(days=1)
    lookback_start = latest - timedelta(days=LOOKBACK_DAYS)
    outside = lookback_start - timedelta(days=1)

    # a support row of the last day, altered as only a re-pricing would undo
    with duckdb.connect(str(warehouse.database)) as connection:
        altered = connection.execute(
            "update intermediate.int_request_costs_booked set cost_center = 'ALTERED'"
            " where request_id = (select min(request_id) from marts.fct_request_costs"
            " where team_id = 'support' and occurred_at >= ?) returning request_id",
            [inside],
        ).fetchall()
    assert len(altered) == 1
    build(warehouse, variables=LOOSE, arguments=RUN_LEDGER)
    after_quiet_run = support_cost_centres(warehouse, "since", inside)

    teams = warehouse.root / "seeds" / "teams.csv"
    teams.write_text(teams.read_text().replace(",CC-4100,", ",CC-4199,"))
    build(warehouse, variables=LOOSE, arguments=("seed", "--select", "teams"))
    build(warehouse, variables=LOOSE, arguments=RUN_LEDGER)
    return {
        "warehouse": warehouse,
        "inside": inside,
        "lookback_start": lookback_start,
        "outside": outside,
        "after_quiet_run": after_quiet_run,
    }


def test_a_run_with_unchanged_reference_data_re_prices_nothing(lookback: dict[str, Any]) -> None:
    assert "ALTERED" in lookback["after_quiet_run"]


def test_a_seed_change_re_prices_the_lookback_days(lookback: dict[str, Any]) -> None:
    assert support_cost_centres(lookback["warehouse"], "since", lookback["inside"]) == {"CC-4199"}


def test_days_before_the_lookback_keep_what_they_were_priced_with(
    lookback: dict[str, Any],
) -> None:
    older = support_cost_centres(lookback["warehouse"], "before", lookback["outside"])
    assert older == {"CC-4100"}


def test_every_row_written_by_a_run_carries_the_fingerprint_it_was_priced_with(
    lookback: dict[str, Any],
) -> None:
    warehouse = lookback["warehouse"]
    fingerprints = warehouse.query(
        "select reference_data_fingerprint, min(occurred_at), count(*)"
        " from marts.fct_request_costs group by 1 order by 2"
    )
    # the builds' (the seeds did not change between them) and the re-pricing run's: two, and
    # the re-priced rows are the later ones
    assert len(fingerprints) == 2
    assert all(len(fingerprint) == 32 for fingerprint, _, _ in fingerprints)
    assert fingerprints[1][1] >= lookback["lookback_start"]
