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

import calendar
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chargeback.focus.export import export_periods
from chargeback.focus.validate import Validator, validate_file
from harness import (
    NO_CONTRACTS,
    NO_MATCH_RULES,
    PRICE_HEADER,
    Warehouse,
    build,
    project_copy,
    write_csv,
    write_jsonl,
)

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = ROOT / ".venv-focus" / "bin" / "focus-validator"
VARIABLES = {"chargeback__min_tagged_spend_share": 0}
SEEDS = {
    "teams": "team_id,team_name,department,cost_center,budget_owner\nfinance,Finance,f,cc-f,o",
    "products": "product_id,product_name,owner_team_id,lifecycle\n"
    "ledgerbot,Ledger bot,finance,production",
    "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
    "ledgerbot,answer,Answer,answer,request",
    "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,valid_from,valid_to\n"
    "key_finance,finance,ledgerbot,prod,false,2026-01-01,",
    "model_prices": f"{PRICE_HEADER}\n"
    "openai,flat-model,standard,0,2026-01-01,,USD,2.5,,,,0,acceptance example,test==1,",
    "model_match_rules": NO_MATCH_RULES,
    "contract_prices": NO_CONTRACTS,
    "fx_rates": "rate_date,from_currency,to_currency,rate,source\n"
    "2026-10-01,USD,KZT,500.00000000,acceptance example\n"
    "2026-11-01,USD,KZT,510.00000000,acceptance example",
    "budgets": "period_month,team_id,amount,currency\n2026-10-01,finance,30000000,KZT",
}
INVOICE_HEADER = [
    "invoice_id", "provider", "billing_period_start", "billing_period_end", "line_id",
    "line_description", "model", "token_type", "quantity", "unit", "amount", "currency",
    "charge_category",
]  # fmt: skip
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
TIE_TESTS = {
    "assert_chargeback_of_each_provider_month_equals_its_invoice",
    "assert_focus_billed_cost_ties_to_the_invoices",
    "assert_focus_effective_cost_ties_to_the_chargeback",
    "assert_focus_allocations_add_up_to_their_origins",
    "assert_bill_lines_add_up_to_the_chargeback",
    "assert_shared_cost_allocations_add_up_to_their_pools",
}


def call(number: int) -> dict[str, Any]:
    return {
        "request_id": f"oa-{number}",
        "occurred_at": f"2026-10-{1 + number % 28:02d}T09:00:00Z",
        "provider": "openai",
        "model": "flat-model",
        "api_key_id": "key_finance",
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": 4_000_000,
        "output_tokens": 0,
        "team": "finance",
        "product": "ledgerbot",
        "environment": "prod",
        "scenario": "answer",
    }


def epoch(day: str) -> int:
    return calendar.timegm(datetime.fromisoformat(f"{day}T00:00:00").timetuple())


def cost_result(value: float, line_item: str) -> dict[str, Any]:
    """A result of the OpenAI Costs API (GET /v1/organization/costs), as documented."""
    return {
        "object": "organization.costs.result",
        "amount": {"value": value, "currency": "usd"},
        "line_item": line_item,
        "project_id": "proj_abc",
    }


def cost_page(buckets: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    return {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": epoch(day),
                "end_time": epoch(day) + 86_400,
                "results": results,
            }
            for day, results in buckets
        ],
        "has_more": False,
        "next_page": None,
    }


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("unlogged_spend"), seeds=SEEDS)
    write_jsonl(
        warehouse.landing / "gateway_requests" / "2026-10.jsonl", [call(n) for n in range(100)]
    )
    write_csv(
        warehouse.landing / "invoices" / "openai_2026-10.csv",
        INVOICE_HEADER,
        [
            ["INV-OA-10", "openai", "2026-10-01", "2026-11-01", 1, "flat-model input",
             "flat-model", "input", 400_000_000, "tokens", "1000.00", "USD", "usage"],
            ["INV-OA-10", "openai", "2026-10-01", "2026-11-01", 2, "gpt-image-1 images",
             "gpt-image-1", "other", 1000, "images", "120.00", "USD", "usage"],
            ["INV-OA-10", "openai", "2026-10-01", "2026-11-01", 3, "Volume discount", "",
             "other", "", "", "-20.00", "USD", "discount"],
        ],
    )  # fmt: skip
    write_csv(
        warehouse.landing / "invoices" / "anthropic_2026-10.csv",
        INVOICE_HEADER,
        [
            ["INV-AN-10", "anthropic", "2026-10-01", "2026-11-01", 1, "claude-sonnet-4-5 input",
             "claude-sonnet-4-5", "input", 100_000_000, "tokens", "300.00", "USD", "usage"],
            ["INV-AN-10", "anthropic", "2026-10-01", "2026-11-01", 2, "claude-sonnet-4-5 output",
             "claude-sonnet-4-5", "output", 10_000_000, "tokens", "150.00", "USD", "usage"],
            ["INV-AN-10", "anthropic", "2026-10-01", "2026-11-01", 3, "Service credit", "",
             "other", "", "", "-50.00", "USD", "credit"],
            ["INV-AN-10", "anthropic", "2026-10-01", "2026-11-01", 4, "VAT", "", "other", "", "",
             "40.00", "USD", "tax"],
        ],
    )  # fmt: skip
    page = cost_page(
        [
            (
                "2026-11-03",
                [
                    cost_result(1.25, "gpt-4o-2024-08-06, input"),
                    cost_result(2.5, "gpt-4o-2024-08-06, output"),
                ],
            ),
            ("2026-11-04", [cost_result(0.75, "gpt-4o-2024-08-06, input")]),
        ]
    )
    pages = warehouse.landing / "openai_costs"
    pages.mkdir(parents=True)
    (pages / "costs_2026-11_page_1.json").write_text(json.dumps(page))
    build(warehouse, variables=VARIABLES)
    return warehouse


def reconciliation(warehouse: Warehouse, provider: str, month: date) -> dict[str, Any]:
    columns = [
        "source_system", "invoice_amount", "ledger_amount", "variance", "status",
        "explained_discounts", "explained_credits", "explained_volume_difference",
        "explained_unlogged_spend", "unexplained_amount", "main_reason", "variance_explanation",
    ]  # fmt: skip
    rows = warehouse.query(
        f"select {', '.join(columns)} from marts.fct_invoice_reconciliation"
        " where provider = ? and billing_period_start = ?",
        [provider, month],
    )
    assert len(rows) == 1
    return dict(zip(columns, rows[0], strict=True))


def chargeback(warehouse: Warehouse, team: str, month: date) -> dict[str, Any]:
    columns = [
        "product_id", "environment", "requests", "ledger_cost", "invoice_true_up",
        "unlogged_spend", "total_charge", "unlogged_spend_usd", "billing_mode",
    ]  # fmt: skip
    rows = warehouse.query(
        f"select {', '.join(columns)} from marts.fct_team_chargeback"
        " where team_id = ? and period_month = ?",
        [team, month],
    )
    assert len(rows) == 1
    return dict(zip(columns, rows[0], strict=True))


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
