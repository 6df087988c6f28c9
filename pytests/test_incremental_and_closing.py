"""The incremental ledger gives the full refresh's marts, and a closed month never changes.

A small demo company is built on its own landing folder, with September closed before
OpenAI's September invoice lands. Every day but the last is built, and built again (nothing
may change); then the last day lands with late September calls and OpenAI's Costs API page
for September (the invoice's usage and images of a model nobody logged), and the incremental
build is compared, mart by mart and row by row, with a full refresh. Last, a September
contract discount is agreed. Through all of it September's chargeback and draft bills stay
as they were to the cent, and October carries the corrections, the spend without logged
calls on UNALLOCATED.

The same builds carry two incremental rules of their own (units_probe.py): unit counts that
a new day extends instead of counting the month again, and a call delivered twice whose later
delivery becomes the first. (One chain of builds for all of it: five whole builds fewer than
a landing folder each.)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chargeback.demo import DemoConfig, generate
from harness import Warehouse, build, project_copy, write_jsonl
from late_calls import late_sales_email_drafts
from openai_costs import cost_page, cost_result
from units_probe import (
    DELIVERIES,
    FIRST_DAY,
    FIRST_RUN_DELIVERIES,
    SCENARIO,
    SECOND_DAY,
    SECOND_RUN_DELIVERIES,
    unit_counts,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LOOSE = {"chargeback__min_tagged_spend_share": 0, "chargeback__max_unpriced_share": 0.05}
NOT_CLOSED = "period_month,closed_at\n"
SEPTEMBER_CLOSED = "period_month,closed_at\n2026-09-01,2026-10-05 12:00:00\n"
BUILD = ("build", "--exclude", "resource_type:unit_test")

Snapshot = dict[str, list[tuple[Any, ...]]]


def demo_landing(folder: Path, requests: int = 4000) -> Path:
    generate(DemoConfig(requests=requests, seed=5, out=folder, seeds_dir=SEEDS, force=True))
    return folder


# When a record was loaded and when the ledger priced it are lineage, not content: a full
# refresh loads and prices every record again, and each run re-prices the lookback days.
LOAD_TIME_COLUMNS = ("loaded_at", "priced_at")


def marts(warehouse: Warehouse) -> Snapshot:
    """Every mart's rows, sorted, without the load-time columns."""
    tables = warehouse.query(
        "select table_name from information_schema.tables"
        " where table_schema = 'marts' order by table_name"
    )
    snapshot: Snapshot = {}
    for (table,) in tables:
        columns = [
            name
            for (name,) in warehouse.query(
                "select column_name from information_schema.columns"
                " where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table],
            )
            if name not in LOAD_TIME_COLUMNS
        ]
        snapshot[table] = warehouse.query(
            f"select {', '.join(columns)} from marts.{table} order by all"
        )
    return snapshot


def late_september_calls(count: int) -> list[dict[str, Any]]:
    return late_sales_email_drafts(
        count,
        request_prefix="late",
        month="2026-09",
        first_day=10,
        days=10,
        api_key_id="key_sales_prod",
        input_tokens=20000,
        output_tokens=2000,
    )


# The Costs API's names of the invoice's token types (line_item '<model>, <kind>').
COST_PAGE_KINDS = {"input": "input", "cache_read": "cached input", "output": "output"}
UNLOGGED_IMAGES = ("gpt-image-1 image, output", 9.99)  # a model no September call used


def september_cost_page(invoice_csv: str) -> dict[str, Any]:
    """OpenAI's Costs API page for September: one daily bucket with the usage lines of the
    invoice (the page has no discounts), and images of a model nobody logged."""
    lines = list(csv.DictReader(io.StringIO(invoice_csv)))
    results = [
        cost_result(
            float(line["amount"]),
            f"{line['model']}, {COST_PAGE_KINDS[line['token_type']]}",
            "proj_demo",
        )
        for line in lines
        if line["charge_category"] == "usage" and line["token_type"] in COST_PAGE_KINDS
    ]
    item, value = UNLOGGED_IMAGES
    results.append(cost_result(value, item, "proj_demo"))
    return cost_page([("2026-09-30", results)])


def totals(warehouse: Warehouse, table: str, column: str, month: str) -> dict[str, Decimal]:
    return dict(
        warehouse.query(
            f"select team_id, sum({column}) from marts.{table}"
            " where period_month = ? group by team_id",
            [month],
        )
    )


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Five builds of one small demo company, September closed from the start: (1) every day
    but the last, without OpenAI's September invoice; (2) the same again; (3) incrementally,
    after the last day, late September calls and OpenAI's September Costs API page land;
    (4) a full refresh of the same; (5) a full refresh after a September contract discount
    is agreed (a price change older than the lookback needs one, DECISIONS.md). The units
    probe's first day and first delivery land before (1), its second day and redelivery
    before (3)."""
    root = tmp_path_factory.mktemp("incremental_and_closing")
    scenarios = (SEEDS / "scenarios.csv").read_text().rstrip("\n") + "\n" + SCENARIO
    warehouse = project_copy(
        root, seeds={"closed_periods": SEPTEMBER_CLOSED, "scenarios": scenarios}
    )
    shutil.rmtree(warehouse.landing)
    demo_landing(warehouse.landing)
    gateway = warehouse.landing / "gateway_requests"
    last_day = sorted(gateway.iterdir())[-1]
    shutil.move(last_day, root / "held_back")
    write_jsonl(gateway / "dt=units-1" / "part-0.jsonl", FIRST_DAY)
    write_jsonl(gateway / "dt=units-a" / "part-0.jsonl", FIRST_RUN_DELIVERIES)
    openai_september = warehouse.landing / "invoices" / "openai" / "openai_2026-09.csv"
    held_invoice = openai_september.read_text()
    openai_september.unlink()

    build(warehouse, variables=LOOSE, arguments=BUILD)
    first = marts(warehouse)
    first_run_deliveries = warehouse.query(DELIVERIES)
    before = {
        "chargeback": totals(warehouse, "fct_team_chargeback", "total_charge", "2026-09-01"),
        "bills": totals(warehouse, "fct_team_bill_lines", "amount", "2026-09-01"),
        "ledger": warehouse.scalar(
            "select sum(cost_reporting) from marts.fct_request_costs"
            " where period_month = '2026-09-01'"
        ),
    }
    build(warehouse, variables=LOOSE, arguments=BUILD)
    again = marts(warehouse)

    shutil.move(root / "held_back", last_day)
    late = late_september_calls(12)
    write_jsonl(warehouse.landing / "gateway_requests" / "dt=late" / "part-0.jsonl", late)
    pages = warehouse.landing / "openai_costs"
    pages.mkdir()
    (pages / "costs_2026-09.json").write_text(json.dumps(september_cost_page(held_invoice)))
    write_jsonl(gateway / "dt=units-2" / "part-0.jsonl", SECOND_DAY)
    write_jsonl(gateway / "dt=units-b" / "part-0.jsonl", SECOND_RUN_DELIVERIES)
    build(warehouse, variables=LOOSE, arguments=BUILD)
    incremental = marts(warehouse)
    units = {
        "compiled": (
            warehouse.root / "target/compiled/ai_chargeback/models/intermediate/product"
            "/int_scenario_units_counted.sql"
        ).read_text(),
        "extended": unit_counts(warehouse),
        "first_run_deliveries": first_run_deliveries,
        "incremental_deliveries": warehouse.query(DELIVERIES),
    }
    build(warehouse, variables=LOOSE, arguments=(*BUILD, "--full-refresh"))
    refreshed = marts(warehouse)
    units["refreshed"] = unit_counts(warehouse)
    units["refreshed_deliveries"] = warehouse.query(DELIVERIES)
    units["duplicates"] = warehouse.query(
        "select request_id, duplicate_of_request_id from marts.fct_duplicate_requests"
        " where request_id like 'call-%'"
    )

    contracts = warehouse.root / "seeds" / "contract_prices.csv"
    contracts.write_text(
        contracts.read_text()
        + "anthropic,,2026-09-01,2026-10-01,,,,,,50,September promotion agreed in October\n"
    )
    build(warehouse, variables=LOOSE, arguments=(*BUILD, "--full-refresh"))
    return {
        "warehouse": warehouse,
        "first": first,
        "again": again,
        "incremental": incremental,
        "refreshed": refreshed,
        "before": before,
        "late_calls": len(late),
        "units": units,
        "last_day_rows": sum(
            1 for path in last_day.rglob("*.jsonl") for line in path.open() if line.strip()
        ),
    }


def test_building_twice_changes_no_mart(chain: dict[str, Any]) -> None:
    assert chain["again"] == chain["first"]


def test_an_incremental_build_after_new_records_equals_a_full_refresh_mart_by_mart(
    chain: dict[str, Any],
) -> None:
    # the new records: the last day and late calls of the closed September
    incremental, refreshed = chain["incremental"], chain["refreshed"]
    assert set(incremental) == set(refreshed) and len(refreshed) >= 10
    for table, rows in refreshed.items():
        assert incremental[table] == rows, f"marts.{table} differs from the full refresh"
    ledger_growth = len(incremental["fct_request_costs"]) - len(chain["first"]["fct_request_costs"])
    # the probe's redelivery replaces a ledger row instead of adding one
    assert ledger_growth == chain["last_day_rows"] + chain["late_calls"] + len(SECOND_DAY)
    assert chain["last_day_rows"] > 0


def test_a_closed_month_keeps_its_chargeback_and_bills_to_the_cent(chain: dict[str, Any]) -> None:
    warehouse, before = chain["warehouse"], chain["before"]
    assert (
        totals(warehouse, "fct_team_chargeback", "total_charge", "2026-09-01")
        == before["chargeback"]
    )
    assert totals(warehouse, "fct_team_bill_lines", "amount", "2026-09-01") == before["bills"]
    ledger_now = warehouse.scalar(
        "select sum(cost_reporting) from marts.fct_request_costs where period_month = '2026-09-01'"
    )
    assert ledger_now != before["ledger"]  # the ledger did learn something about September


def test_what_changed_is_booked_in_october_as_corrections_for_september(
    chain: dict[str, Any],
) -> None:
    warehouse = chain["warehouse"]
    booked, belongs_to, requests, ledger_cost, total = warehouse.row(
        "select period_month, correction_for_period, sum(requests), sum(ledger_cost),"
        " sum(total_charge) from marts.fct_team_chargeback where charge_class = 'Correction'"
        " group by all"
    )
    assert (str(booked), str(belongs_to)) == ("2026-10-01", "2026-09-01")
    assert requests == chain["late_calls"]
    computed = warehouse.query(
        "select sum(ledger_cost), sum(total_charge) from intermediate.int_team_charges_computed"
        " where period_month = '2026-09-01'"
    )[0]
    frozen = warehouse.query(
        "select sum(ledger_cost), sum(total_charge) from intermediate.int_closed_team_charges"
        " where period_month = '2026-09-01'"
    )[0]
    assert ledger_cost == computed[0] - frozen[0] != 0
    assert total == computed[1] - frozen[1]
    bill_corrections = warehouse.scalar(
        "select sum(amount) from marts.fct_team_bill_lines where line_type = 'correction'"
        " and period_month = '2026-10-01'"
    )
    assert bill_corrections == total


def test_a_late_cost_page_is_booked_in_october_with_its_spend_without_logged_calls(
    chain: dict[str, Any],
) -> None:
    warehouse = chain["warehouse"]
    model, reason, amount = warehouse.row(
        "select model_canonical, unlogged_reason, allocated_amount"
        " from intermediate.int_unlogged_lines_identified"
    )
    assert (model, reason) == ("gpt-image-1", "unlogged_model") and amount > 0
    corrections = warehouse.query(
        "select period_month, correction_for_period, sum(unlogged_spend)"
        " from marts.fct_team_chargeback where charge_class = 'Correction'"
        " and team_id = 'UNALLOCATED' group by all"
    )
    assert [(str(m), str(p), s) for m, p, s in corrections] == [
        ("2026-10-01", "2026-09-01", amount)
    ]
    assert (
        warehouse.scalar(
            "select coalesce(sum(unlogged_spend), 0) from marts.fct_team_chargeback"
            " where period_month = '2026-09-01'"
        )
        == 0
    )  # September as it closed: OpenAI's September bill had not landed
    focus = warehouse.query(
        "select x_chargeback_month, sum(effective_cost), sum(billed_cost)"
        " from marts.fct_focus_costs where charge_class = 'Correction'"
        " and x_charge_kind = 'invoice_unlogged_usage' group by all"
    )
    assert [(str(m), e, b) for m, e, b in focus] == [("2026-10-01", amount, 0)]
    source = warehouse.scalar(
        "select source_system from marts.fct_invoice_reconciliation"
        " where provider = 'openai' and billing_period_start = '2026-09-01'"
    )
    assert source == "openai_cost_export"


def test_summed_by_the_month_a_charge_belongs_to_the_chargeback_is_the_ledger(
    chain: dict[str, Any],
) -> None:
    warehouse = chain["warehouse"]
    differences = warehouse.query(
        "with charged as (select charge_period_month as month, sum(ledger_cost) as cost"
        " from marts.fct_team_chargeback group by all),"
        " ledger as (select period_month as month, sum(cost_reporting) as cost"
        " from marts.fct_request_costs group by all)"
        " select * from charged full join ledger using (month)"
        " where coalesce(charged.cost, 0) != coalesce(ledger.cost, 0)"
    )
    assert differences == []


def test_the_month_was_extended_by_the_new_day_not_counted_again(chain: dict[str, Any]) -> None:
    # the extending run reads the rows priced after the month's last count
    assert "and priced_at > cast(" in chain["units"]["compiled"]


def test_each_team_counts_its_own_units_once(chain: dict[str, Any]) -> None:
    extended = chain["units"]["extended"]
    assert extended[("team", "sales")] == (3, 6)  # u1, u2, u4; six calls, one without a unit
    assert extended[("team", "support")] == (2, 2)  # u3, u2


def test_over_all_teams_a_unit_counts_once(chain: dict[str, Any]) -> None:
    assert chain["units"]["extended"][("all_teams", None)] == (4, 8)  # u1 to u4


def test_the_extended_counts_equal_a_full_refresh(chain: dict[str, Any]) -> None:
    assert chain["units"]["extended"] == chain["units"]["refreshed"]


def test_a_record_that_becomes_the_first_delivery_later_replaces_the_ledger_row(
    chain: dict[str, Any],
) -> None:
    units = chain["units"]
    assert [row[0] for row in units["first_run_deliveries"]] == ["call-2", "call-9"]
    assert [row[0] for row in units["incremental_deliveries"]] == ["call-1", "call-9"]
    assert units["duplicates"] == [("call-2", "call-1")]


def test_the_first_deliveries_after_the_incremental_run_equal_a_full_refresh(
    chain: dict[str, Any],
) -> None:
    assert chain["units"]["incremental_deliveries"] == chain["units"]["refreshed_deliveries"]
