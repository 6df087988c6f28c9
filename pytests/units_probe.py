"""Two incremental rules, probed by a few calls of a scenario of their own (units_probe of
the sales copilot), landed beside a demo company's calls (test_incremental_and_closing.py).

Unit counts: int_scenario_units_counted counts the distinct unit ids of each month per team
and over all teams. When a new day lands in a month whose counted rows are all still in the
ledger, the run extends the month's counts by the new day's units instead of counting the
month again. The second day repeats a unit of the same team (no new unit), brings a unit
another team had (new for the team, not over all teams), a unit never seen, and a call
without a unit.

First deliveries: one call (one provider response id) lands twice: the record of the second
run comes first in the counting order (its request id sorts first), so the ledger must drop
the row of the first run and keep only the new one, as a full refresh does.
"""

from __future__ import annotations

from typing import Any

from harness import Warehouse

# the scenarios seed row of the probe: counted by unit id
SCENARIO = "sales_copilot,units_probe,Units probe,unit,unit_id"


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
        "scenario": "units_probe",
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
    """The probe's October counts: (counted over, team) -> (distinct unit ids, ledger rows)."""
    rows = warehouse.query(
        "select counted_over, team_id, distinct_unit_ids, ledger_rows"
        " from intermediate.int_scenario_units_counted"
        " where product_id = 'sales_copilot' and scenario_id = 'units_probe'"
        " and period_month = '2026-10-01'"
    )
    return {(over, team): (units, rows_) for over, team, units, rows_ in rows}


def redelivered_call(request_id: str, response_id: str, team: str) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "provider_response_id": response_id,
        "occurred_at": "2026-10-20T09:00:00Z",
        "provider": "anthropic",
        "model": "claude-3-5-haiku-20241022",
        "api_key_id": "key_sales_prod",
        "status_code": 200,
        "input_tokens": 20000,
        "output_tokens": 2000,
        "team": team,
        "product": "sales_copilot",
        "environment": "prod",
        # not the probe's scenario: its unit counts are of the two days above only
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
