"""Spend without logged calls lands on UNALLOCATED, built end to end from landing files.

A small company reports in KZT in Asia/Almaty and logs only OpenAI calls, in October
(400,000,000 input tokens at $2.50 per million: $1,000.00). What the providers bill besides:
  - OpenAI's October invoice: the logged tokens ($1,000.00), $120.00 of gpt-image-1, which no
    logged call used, and a $20.00 discount;
  - Anthropic's October invoice, though nobody logged an Anthropic call: $450.00 of usage, a
    $50.00 credit and $40.00 tax;
  - OpenAI's Costs API pages for two November days, when nobody logged a call: $4.50.
One build; every tie test of the project runs in it.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chargeback.focus.export import export_periods
from chargeback.focus.validate import Validator, validate_file
from finance_company import call, october_day, seeds, write_october_invoice
from harness import Warehouse, build, project_copy, write_jsonl
from openai_costs import cost_page, cost_result

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = ROOT / ".venv-focus" / "bin" / "focus-validator"
VARIABLES = {"chargeback__min_tagged_spend_share": 0}
SEEDS = seeds("openai,flat-model,standard,0,2026-01-01,,USD,2.5,,,,0,acceptance example,test==1,")
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
TIE_TESTS = {
    "assert_chargeback_of_each_provider_month_equals_its_invoice",
    "assert_focus_billed_cost_ties_to_the_invoices",
    "assert_focus_effective_cost_ties_to_the_chargeback",
    "assert_focus_allocations_add_up_to_their_origins",
    "assert_bill_lines_add_up_to_the_chargeback",
    "assert_shared_cost_allocations_add_up_to_their_pools",
}


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("unlogged_spend"), seeds=SEEDS)
    write_jsonl(
        warehouse.landing / "gateway_requests" / "2026-10.jsonl",
        [call(f"oa-{n}", "openai", october_day(n), 4_000_000) for n in range(100)],
    )
    write_october_invoice(
        warehouse,
        "INV-OA-10",
        "openai",
        [
            ["flat-model input", "flat-model", "input", 400_000_000, "tokens", "1000.00", "USD",
             "usage"],
            ["gpt-image-1 images", "gpt-image-1", "other", 1000, "images", "120.00", "USD",
             "usage"],
            ["Volume discount", "", "other", "", "", "-20.00", "USD", "discount"],
        ],
    )  # fmt: skip
    write_october_invoice(
        warehouse,
        "INV-AN-10",
        "anthropic",
        [
            ["claude-sonnet-4-5 input", "claude-sonnet-4-5", "input", 100_000_000, "tokens",
             "300.00", "USD", "usage"],
            ["claude-sonnet-4-5 output", "claude-sonnet-4-5", "output", 10_000_000, "tokens",
             "150.00", "USD", "usage"],
            ["Service credit", "", "other", "", "", "-50.00", "USD", "credit"],
            ["VAT", "", "other", "", "", "40.00", "USD", "tax"],
        ],
    )  # fmt: skip
    page = cost_page(
        [
            (
                "2026-11-03",
                [
                    cost_result(1.25, "gpt-4o-2024-08-06, input", "proj_abc"),
                    cost_result(2.5, "gpt-4o-2024-08-06, output", "proj_abc"),
                ],
            ),
            ("2026-11-04", [cost_result(0.75, "gpt-4o-2024-08-06, input", "proj_abc")]),
        ]
    )
    pages = warehouse.landing / "openai_costs"
    pages.mkdir(parents=True)
    (pages / "costs_2026-11_page_1.json").write_text(json.dumps(page))
    build(warehouse, variables=VARIABLES, artifacts=True)
    return warehouse


def reconciliation(warehouse: Warehouse, provider: str, month: date) -> dict[str, Any]:
    columns = [
        "source_system", "invoice_amount", "ledger_amount", "variance", "status",
        "explained_discounts", "explained_credits", "explained_volume_difference",
        "explained_unlogged_spend", "unexplained_amount", "main_reason", "variance_explanation",
    ]  # fmt: skip
    return warehouse.record(
        columns,
        "from marts.fct_invoice_reconciliation where provider = ? and billing_period_start = ?",
        [provider, month],
    )


def chargeback(warehouse: Warehouse, team: str, month: date) -> dict[str, Any]:
    columns = [
        "product_id", "environment", "requests", "ledger_cost", "invoice_true_up",
        "unlogged_spend", "total_charge", "unlogged_spend_usd", "billing_mode",
    ]  # fmt: skip
    return warehouse.record(
        columns,
        "from marts.fct_team_chargeback where team_id = ? and period_month = ?",
        [team, month],
    )


def unlogged_charges(warehouse: Warehouse, provider: str, month: date) -> list[tuple[Any, ...]]:
    return warehouse.query(
        "select x_model_id, x_token_type, pricing_quantity, pricing_unit, consumed_quantity,"
        " consumed_unit, list_unit_price, billed_cost, effective_cost from marts.fct_focus_costs"
        " where x_charge_kind = 'invoice_unlogged_usage' and x_provider_id = ?"
        " and x_billing_month = ? and sub_account_id = 'UNALLOCATED'"
        " and charge_category = 'Usage' and x_chargeback_month = x_billing_month"
        " order by billed_cost",
        [provider, month],
    )


def test_a_an_invoice_without_logged_calls_is_unallocated_spend_in_every_mart(
    company: Warehouse,
) -> None:
    anthropic = reconciliation(company, "anthropic", OCTOBER)
    assert anthropic["invoice_amount"] == Decimal("400.00")
    assert anthropic["ledger_amount"] == 0
    assert anthropic["explained_credits"] == Decimal("-50.00")
    assert anthropic["explained_unlogged_spend"] == Decimal("450.00")
    assert anthropic["explained_volume_difference"] == 0 and anthropic["unexplained_amount"] == 0
    assert anthropic["main_reason"] == "spend without logged calls"
    assert anthropic["variance_explanation"].startswith(
        "No logged calls in this billing period: the invoice is spend without logged calls,"
        " charged to UNALLOCATED. Invoice 400.00 vs ledger 0.00: credits -50.00;"
        " spend without logged calls 450.00"
    )
    # Two usage lines at 500 KZT: each a Usage charge of UNALLOCATED at the invoice's own price.
    assert unlogged_charges(company, "anthropic", OCTOBER) == [
        ("claude-sonnet-4-5", "output", Decimal("10"), "1000000 Tokens", Decimal("10000000"),
         "Tokens", Decimal("7500"), Decimal("75000"), Decimal("75000")),
        ("claude-sonnet-4-5", "input", Decimal("100"), "1000000 Tokens", Decimal("100000000"),
         "Tokens", Decimal("1500"), Decimal("150000"), Decimal("150000")),
    ]  # fmt: skip
    others = company.query(
        "select charge_category, sub_account_id, x_allocated_method_id, x_allocated_ratio,"
        " billed_cost, effective_cost from marts.fct_focus_costs where x_provider_id = 'anthropic'"
        " and x_charge_kind != 'invoice_unlogged_usage' order by charge_category"
    )
    assert others == [
        ("Adjustment", "UNALLOCATED", "invoice_share_by_no_logged_calls", 1.0, 0, 0),
        ("Credit", "UNALLOCATED", "invoice_share_by_no_logged_calls", 1.0,
         Decimal("-25000"), Decimal("-25000")),
        ("Tax", None, None, None, Decimal("20000"), Decimal("20000")),
    ]  # fmt: skip


def test_b_a_cost_page_for_a_month_without_calls_stands_in_and_is_unallocated(
    company: Warehouse,
) -> None:
    november = reconciliation(company, "openai", NOVEMBER)
    assert november["source_system"] == "openai_cost_export"
    assert november["invoice_amount"] == Decimal("4.50")
    assert november["explained_unlogged_spend"] == Decimal("4.50")
    assert november["status"] == "investigate"
    assert november["variance_explanation"].startswith("No logged calls in this billing period")
    unallocated = chargeback(company, "UNALLOCATED", NOVEMBER)
    assert (unallocated["product_id"], unallocated["environment"]) == ("UNALLOCATED", "unknown")
    assert unallocated["requests"] == 0 and unallocated["ledger_cost"] == 0
    assert unallocated["unlogged_spend"] == Decimal("2295.00")  # $4.50 at 510 KZT
    assert unallocated["invoice_true_up"] == unallocated["total_charge"] == Decimal("2295.00")
    assert unallocated["unlogged_spend_usd"] == Decimal("4.50")
    # The page gives no quantity: each result is one billed line at its amount.
    charges = unlogged_charges(company, "openai", NOVEMBER)
    assert [row[7] for row in charges] == [Decimal("382.50"), Decimal("637.50"), Decimal("1275")]
    assert {(row[2], row[3], row[4], row[5]) for row in charges} == {
        (Decimal("1"), "Billed lines", Decimal("1"), "Billed lines")
    }
    assert {row[0] for row in charges} == {"gpt-4o-2024-08-06"}


def test_c_a_model_nobody_logged_goes_to_unallocated_not_to_the_teams_that_called(
    company: Warehouse,
) -> None:
    openai = reconciliation(company, "openai", OCTOBER)
    assert (openai["invoice_amount"], openai["ledger_amount"]) == (
        Decimal("1100.00"),
        Decimal("1000.00"),
    )
    assert openai["explained_discounts"] == Decimal("-20.00")
    assert openai["explained_unlogged_spend"] == Decimal("120.00")
    assert openai["explained_volume_difference"] == 0 and openai["unexplained_amount"] == 0
    assert openai["variance_explanation"] == (
        "Invoice 1100.00 vs ledger 1000.00: discounts -20.00;"
        " spend without logged calls 120.00 (gpt-image-1 never logged)"
    )
    # finance pays its calls less the discount: 980 USD = 490,000 KZT, no part of the images
    finance = chargeback(company, "finance", OCTOBER)
    assert finance["ledger_cost"] == Decimal("500000")
    assert finance["invoice_true_up"] == Decimal("-10000.00")
    assert finance["unlogged_spend"] == 0
    assert finance["total_charge"] == Decimal("490000")
    # UNALLOCATED in October: the images (60,000) and Anthropic's invoice (200,000)
    unallocated = chargeback(company, "UNALLOCATED", OCTOBER)
    assert unallocated["unlogged_spend"] == unallocated["total_charge"] == Decimal("260000.00")
    assert unallocated["billing_mode"] == "showback"
    assert unlogged_charges(company, "openai", OCTOBER) == [
        ("gpt-image-1", "other", Decimal("1000"), "images", Decimal("1000"), "images",
         Decimal("60"), Decimal("60000"), Decimal("60000")),
    ]  # fmt: skip


def test_d_the_draft_bill_names_the_spend_without_logged_calls(company: Warehouse) -> None:
    lines = company.query(
        "select period_month, team_id, line_type, line_order, description, amount"
        " from marts.fct_team_bill_lines where line_type in ('invoice_true_up', 'unlogged_spend')"
        " order by period_month, team_id, line_order"
    )
    spend_without_calls = (
        "Spend without logged calls (billed by a provider, no logged call explains it)"
    )
    assert lines == [
        (OCTOBER, "UNALLOCATED", "unlogged_spend", 7, spend_without_calls, Decimal("260000")),
        (OCTOBER, "finance", "invoice_true_up", 6, "Invoice true-up (invoice minus ledger)",
         Decimal("-10000")),
        (NOVEMBER, "UNALLOCATED", "unlogged_spend", 7, spend_without_calls, Decimal("2295")),
    ]  # fmt: skip


def test_e_the_chargeback_of_each_provider_month_is_its_invoice_and_every_tie_passed(
    company: Warehouse,
) -> None:
    charged = dict(
        company.query(
            "select provider || ' ' || strftime(billing_period_start, '%Y-%m'),"
            " sum(allocated_ledger_cost + allocated_invoice_true_up)"
            " from intermediate.int_invoice_true_up_allocated group by all"
        )
    )
    assert charged == {
        "openai 2026-10": Decimal("550000.00"),  # $1,100 at 500
        "anthropic 2026-10": Decimal("200000.00"),  # $400 at 500
        "openai 2026-11": Decimal("2295.00"),  # $4.50 at 510
    }
    billed = dict(
        company.query(
            "select x_provider_id || ' ' || strftime(x_billing_month, '%Y-%m'), sum(billed_cost)"
            " from marts.fct_focus_costs where charge_category != 'Tax' group by all"
        )
    )
    assert billed == charged
    results = json.loads((company.root / "target" / "run_results.json").read_text())["results"]
    ties = {
        result["unique_id"].split(".")[2]: result["status"]
        for result in results
        if result["unique_id"].startswith("test.ai_chargeback.assert_")
    }
    assert set(ties) >= TIE_TESTS
    assert {name: status for name, status in ties.items() if status != "pass"} == {}


def test_f_the_focus_files_with_unlogged_usage_pass_the_validator(
    company: Warehouse, tmp_path: Path
) -> None:
    if not VALIDATOR.exists():
        pytest.fail(f"no focus-validator at {VALIDATOR}: `make focus` installs it (.venv-focus)")
    exports = export_periods(company.database, tmp_path)
    assert [export.billing_period for export in exports] == [OCTOBER, NOVEMBER]
    for export in exports:
        for written in export.files:
            result = validate_file(Validator(VALIDATOR), written.path)
            assert result.succeeded, result.details
            assert result.count("passed") == 133
