"""The small demo company whose closed August learns late calls (conftest.py,
`late_august_demo`): the FOCUS export's closed month and the incremental lookback's warehouse.

3,000 requests (seed 7), August closed as the committed seed says. It is built, August's
effective cost noted, then eight late August calls land on a key of their own (their charges
are charges of their own) and it is built again: August keeps its effective cost, September,
the first open month, carries the corrections.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from chargeback.demo import DemoConfig, generate
from harness import Warehouse, build, write_jsonl
from late_calls import late_sales_email_drafts

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LOOSE = {"chargeback__min_tagged_spend_share": 0, "chargeback__max_unpriced_share": 0.05}
LATE_CALLS = 8
LATE_KEY = "key_late_august_import"
AUGUST_BEFORE = "august_before.json"


def late_august_calls(count: int) -> list[dict[str, Any]]:
    return late_sales_email_drafts(
        count,
        request_prefix="late-august",
        month="2026-08",
        first_day=12,
        days=8,
        api_key_id=LATE_KEY,
        input_tokens=30000,
        output_tokens=3000,
    )


def august_effective_cost(warehouse: Warehouse) -> dict[str, Decimal]:
    return dict(
        warehouse.query(
            "select x_team_id, sum(effective_cost) from marts.fct_focus_costs"
            " where x_chargeback_month = '2026-08-01' and charge_class is null group by all"
        )
    )


def build_late_august_demo(warehouse: Warehouse) -> None:
    generate(DemoConfig(requests=3000, seed=7, out=warehouse.landing, seeds_dir=SEEDS, force=True))
    build(warehouse, variables=LOOSE)
    before = {team: str(cost) for team, cost in august_effective_cost(warehouse).items()}
    (warehouse.root / AUGUST_BEFORE).write_text(json.dumps(before))
    write_jsonl(
        warehouse.landing / "gateway_requests" / "dt=late" / "part-0.jsonl",
        late_august_calls(LATE_CALLS),
    )
    build(warehouse, variables=LOOSE)


def august_before(warehouse: Warehouse) -> dict[str, Decimal]:
    """August's effective cost by team as it closed, before the late calls landed."""
    noted = json.loads((warehouse.root / AUGUST_BEFORE).read_text())
    return {team: Decimal(cost) for team, cost in noted.items()}
