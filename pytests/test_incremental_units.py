"""Two small incremental runs give what a full refresh gives: unit counts and first deliveries.

int_scenario_units_counted counts the distinct unit ids of each month per team and over all
teams. When a new day lands in a month whose counted rows are all still in the ledger, the
run extends the month's counts by the new day's units instead of counting the month again. The
new day here repeats a unit of the same team (no new unit), brings a unit another team had (new
for the team, not over all teams), a unit never seen, and a call without a unit.

In the same runs, one call (one provider response id) lands twice, in September: the record of
the second run comes first in the counting order (its request id sorts first), so the ledger
must drop the row of the first run and keep only the new one, as a full refresh does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness import Warehouse, build, project_copy, write_jsonl

LOOSE = {"chargeback__min_tagged_spend_share": 0, "chargeback__max_unpriced_share": 0.05}
BUILD = ("build", "--exclude", "resource_type:unit_test")
NOT_CLOSED = "period_month,closed_at\n"


def call(number: int, day: str, team: str, unit: str | None) -> dict[str, Any]:
    return {
        "request_id": f"units-{day}-{number}",
        "occurred_at": f"2026-10-{day}T09:{number:02d}:00Z",
        "provider": "anthropic",
        "model": "claude-3-5-haiku-20241022",
        "api_key_id": "key_sales_prod",
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": 1000,
        "output_tokens": 100,
        "team": team,
        "product": "sales_copilot",
        "environment": "prod",
        "scenario": "email_draft",
        "unit_id": unit,
    }


FIRST_DAY = [
    call(1, "05", "sales", "u1"),
    call(2, "05", "sales", "u1"),
    call(3, "05", "sales", "u2"),
    call(4, "05", "support", "u3"),
]
SECOND_DAY = [
    call(1, "06", "sales", "u1"),  # seen before by the same team
    call(2, "06", "support", "u2"),  # new for support, seen before over all teams
    call(3, "06", "sales", "u4"),  # never seen
    call(4, "06", "sales", None),  # a call without a unit
]


def unit_counts(warehouse: Warehouse) -> dict[tuple[str, Any], tuple[int, int]]:
    rows = warehouse.query(
        "select counted_over, team_id, distinct_unit_ids, ledger_rows"
        " from intermediate.int_scenario_units_counted"
        " where product_id = 'sales_copilot' and scenario_id = 'email_draft'"
        " and period_month = '2026-10-01'"
    )
    return {(over, team): (units, rows_) for over, team, units, rows_ in rows}


def redelivered_call(request_id: str, response_id: str, team: str) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "provider_response_id": response_id,
        "occurred_at": "2026-09-20T09:00:00Z",
        "provider": "anthropic",
        "model": "claude-3-5-haiku-20241022",
        "api_key_id": "key_sales_prod",
        "status_code": 200,
        "input_tokens": 20000,
        "output_tokens": 2000,
        "team": team,
        "product": "sales_copilot",
        "environment": "prod",
        "scenario": "email_draft",
    }


FIRST_RUN_DELIVERIES = [
    redelivered_call("call-2", "resp-shared", "sales"),
    redelivered_call("call-9", "resp-other", "sales"),
]
SECOND_RUN_DELIVERIES = [redelivered_call("call-1", "resp-shared", "support")]
DELIVERIES = (
    "select * exclude (loaded_at, priced_at) from marts.fct_request_costs"
    " where request_id like 'call-%' order by all"
)


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root: Path = tmp_path_factory.mktemp("units")
    warehouse = project_copy(root, seeds={"closed_periods": NOT_CLOSED})
    gateway = warehouse.landing / "gateway_requests"
    write_jsonl(gateway / "dt=2026-10-05" / "part-0.jsonl", FIRST_DAY)
    write_jsonl(gateway / "dt=a" / "part-0.jsonl", FIRST_RUN_DELIVERIES)
    build(warehouse, variables=LOOSE, arguments=BUILD)
    first_run_ledger = warehouse.query(
        "select request_id from marts.fct_request_costs where request_id like 'call-%' order by 1"
    )
    write_jsonl(gateway / "dt=2026-10-06" / "part-0.jsonl", SECOND_DAY)
    write_jsonl(gateway / "dt=b" / "part-0.jsonl", SECOND_RUN_DELIVERIES)
    build(warehouse, variables=LOOSE, arguments=BUILD)
    compiled = (
        warehouse.root
        / "target/compiled/ai_chargeback/models/intermediate/product/int_scenario_units_counted.sql"
    ).read_text()
    extended = unit_counts(warehouse)
    incremental_deliveries = warehouse.query(DELIVERIES)
    build(warehouse, variables=LOOSE, arguments=(*BUILD, "--full-refresh"))
    return {
        "extended": extended,
        "refreshed": unit_counts(warehouse),
        "compiled": compiled,
        "first_run_ledger": first_run_ledger,
        "incremental_deliveries": incremental_deliveries,
        "refreshed_deliveries": warehouse.query(DELIVERIES),
        "duplicates": warehouse.query(
            "select request_id, duplicate_of_request_id from marts.fct_duplicate_requests"
        ),
    }


def test_the_month_was_extended_by_the_new_day_not_counted_again(units: dict[str, Any]) -> None:
    # the extending run reads the rows priced after the month's last count
    assert "and priced_at > cast(" in units["compiled"]


def test_each_team_counts_its_own_units_once(units: dict[str, Any]) -> None:
    extended = units["extended"]
    assert extended[("team", "sales")] == (3, 6)  # u1, u2, u4; six calls, one without a unit
    assert extended[("team", "support")] == (2, 2)  # u3, u2


def test_over_all_teams_a_unit_counts_once(units: dict[str, Any]) -> None:
    assert units["extended"][("all_teams", None)] == (4, 8)  # u1 to u4


def test_the_extended_counts_equal_a_full_refresh(units: dict[str, Any]) -> None:
    assert units["extended"] == units["refreshed"]


def test_a_record_that_becomes_the_first_delivery_later_replaces_the_ledger_row(
    units: dict[str, Any],
) -> None:
    assert units["first_run_ledger"] == [("call-2",), ("call-9",)]
    assert [row[0] for row in units["incremental_deliveries"]] == ["call-1", "call-9"]
    assert units["duplicates"] == [("call-2", "call-1")]


def test_the_first_deliveries_after_the_incremental_run_equal_a_full_refresh(
    units: dict[str, Any],
) -> None:
    assert units["incremental_deliveries"] == units["refreshed_deliveries"]
