"""Invoice reconciliation and the month-end pack, built end to end from landing files.

A small company reports in KZT in Asia/Almaty (UTC+5) and is billed in USD by two providers
billing in UTC. OpenAI's October invoice says $47,820.31 where the ledger says $46,912.08.
Anthropic's October invoice bills exactly the ledger's tokens, less a discount and a credit;
three of its calls fall on 31 October after 19:00 UTC, which is already November in Almaty.

In November the company also runs models of its own, priced by custom_model_prices: an
internal model that the price table lists at $1.00 per million input tokens until the
company's own price of $0.50 starts on 15 November (the gateway logs it as
`in-house-llm-v2`, which the custom row's prefix match resolves to `in-house-llm`), and a
local model that is free on purpose, called by its own name and through the deployment
`gpu-pool-a` that serves it. And it calls its fine-tune of OpenAI's flat model, which costs
$5.00 per million input tokens where the base costs $2.50. From November the deployment
`gpu-pool-b` runs on reserved GPUs, the capacity pool `gpu-b`: $300.00 for November's
4,000,000 weighted tokens, whose idle part the platform team owns. And the operations team
calls an Azure OpenAI deployment of reserved capacity (PTU), the pool `ptu-east`: $200.00 for
November's 1,000,000 weighted tokens, without an owner of its idle part, and a burst pool of
twelve hours on 20 November (`ptu-burst`: $10.00 for 720,000 weighted tokens, idle part its
own); Azure's November invoice bills the reservation at $205.00 and the burst at $10.00.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from finance_company import call, october_day, seeds, write_october_invoice
from harness import INVOICE_HEADER, Warehouse, build, project_copy, write_csv, write_jsonl

VARIABLES = {"chargeback__min_tagged_spend_share": 0}
# 2.50 USD per million input tokens at OpenAI, 1.00 at Anthropic: whole cents per call.
SEEDS = seeds(
    "openai,flat-model,standard,0,2026-01-01,,USD,2.5,,,,0,acceptance example,test==1,",
    "anthropic,flat-model,standard,0,2026-01-01,,USD,1,,,,0,acceptance example,test==1,",
    "self_hosted,in-house-llm,standard,0,2026-01-01,,USD,1,,,,0,acceptance example,test==1,",
)
CUSTOM_PRICE_HEADER = (
    "provider,match_kind,pattern,model,processing,above_input_tokens,valid_from,valid_to,currency,"
    "input_per_mtok,cache_read_per_mtok,cache_write_per_mtok,cache_write_1h_per_mtok,"
    "output_per_mtok,input_audio_per_mtok,cache_audio_read_per_mtok,output_audio_per_mtok,"
    "input_image_per_mtok,cache_image_read_per_mtok,output_image_per_mtok,web_searches_per_k,"
    "file_searches_per_k,code_executions_per_k,requests_per_k,note"
)
SEEDS["model_deployments"] = (
    "provider,deployment,model,deployment_type,region,capacity_pool,valid_from,valid_to,note\n"
    "self_hosted,gpu-pool-a,llama-local,self_hosted_gpu,eu-west,,2026-01-01,,our GPU pool A\n"
    "self_hosted,gpu-pool-b,llama-local,provisioned,eu-west,gpu-b,2026-11-01,,reserved GPUs\n"
    "azure_openai,azure/ptu-east,flat-model,provisioned,eastus,ptu-east,2026-11-01,,Azure PTU\n"
    "azure_openai,azure/ptu-burst,flat-model,provisioned,eastus,ptu-burst,2026-11-01,,burst hours"
)
SEEDS["capacity_pools"] = (
    "capacity_pool,provider,valid_from,valid_to,amount,currency,capacity_weighted_tokens,"
    "idle_owner_team_id,note\n"
    "gpu-b,self_hosted,2026-11-01,2026-12-01,300.00,USD,4000000,platform,November reservation\n"
    "ptu-east,azure_openai,2026-11-01,2026-12-01,200.00,USD,1000000,,Azure PTU November\n"
    "ptu-burst,azure_openai,2026-11-20 08:00:00,2026-11-20 20:00:00,10.00,USD,720000,ops,12 hours"
)
SEEDS["teams"] += "\nplatform,Platform,p,cc-p,o\nops,Operations,o,cc-o,o"
# platform has an October budget and no October charge: the pack's Budget sheet still shows it
SEEDS["budgets"] += "\n2026-10-01,platform,1000000,KZT"
SEEDS["api_keys"] += "\nkey_ops,ops,ledgerbot,prod,false,2026-01-01,"

SEEDS["custom_model_prices"] = "\n".join(
    (
        CUSTOM_PRICE_HEADER,
        "self_hosted,starts_with,in-house-llm,in-house-llm,standard,0,2026-11-15,,USD,0.5,,,,0,"
        ",,,,,,,,,,internal transfer price 2026-11",
        "self_hosted,equals,llama-local,llama-local,standard,0,2026-01-01,,USD,0,,,,0,"
        ",,,,,,,,,,our own GPUs",
        "openai,starts_with,ft:flat-model,ft:flat-model,standard,0,2026-01-01,,USD,5,,,,0,"
        ",,,,,,,,,,fine-tune rate card",
    )
)
OPENAI_TOKENS = 18_764_832_000  # x $2.50 per million = $46,912.08


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("reconciliation"), seeds=SEEDS)
    per_call, extra = divmod(OPENAI_TOKENS, 100)
    openai = [
        call(f"oa-{n}", "openai", october_day(n), per_call + (extra if n == 0 else 0))
        for n in range(100)
    ]
    anthropic = [call(f"an-{n}", "anthropic", "2026-10-10T12:00:00Z", 1_000_000) for n in range(10)]
    late = [
        call(f"an-late-{n}", "anthropic", f"2026-10-31T2{n}:30:00Z", 1_000_000) for n in range(3)
    ]
    write_jsonl(warehouse.landing / "gateway_requests" / "2026-10.jsonl", openai + anthropic + late)
    own_models = [
        {**call("sh-listed", "self_hosted", "2026-11-10T09:00:00Z", 2_000_000),
         "model": "in-house-llm-v2"},
        {**call("sh-own-price", "self_hosted", "2026-11-20T09:00:00Z", 2_000_000),
         "model": "in-house-llm-v2"},
        {**call("sh-free", "self_hosted", "2026-11-10T09:00:00Z", 5_000_000),
         "model": "llama-local"},
        {**call("sh-deployed", "self_hosted", "2026-11-12T09:00:00Z", 1_000_000),
         "model": "self_hosted/GPU-Pool-A"},
        {**call("oa-fine-tune", "openai", "2026-11-12T09:00:00Z", 1_000_000),
         "model": "ft:flat-model:acme::abc123"},
        # 1,000,000 input + 4 x 250,000 output = 2,000,000 weighted tokens: half the pool
        {**call("sh-pooled", "self_hosted", "2026-11-13T09:00:00Z", 1_000_000),
         "model": "gpu-pool-b", "output_tokens": 250_000},
        # 500,000 weighted tokens: half of the PTU pool
        {**call("az-ptu", "azure", "2026-11-16T09:00:00Z", 500_000),
         "model": "azure/ptu-east", "api_key_id": "key_ops", "team": "ops"},
        # inside the burst pool's twelve hours
        {**call("az-burst", "azure", "2026-11-20T10:00:00Z", 72_000),
         "model": "azure/ptu-burst", "api_key_id": "key_ops", "team": "ops"},
    ]  # fmt: skip
    write_jsonl(warehouse.landing / "gateway_requests" / "2026-11.jsonl", own_models)
    write_october_invoice(
        warehouse,
        "INV-OA-10",
        "openai",
        [["flat-model input", "flat-model", "input", OPENAI_TOKENS, "tokens", "47820.31", "USD",
          "usage"]],
    )  # fmt: skip
    write_october_invoice(
        warehouse,
        "INV-AN-10",
        "anthropic",
        [
            ["flat-model input", "flat-model", "input", 13_000_000, "tokens", "13.00", "USD",
             "usage"],
            ["Volume discount", "", "other", "", "", "-1.30", "USD", "discount"],
            ["Service credit", "", "other", "", "", "-0.45", "USD", "credit"],
            ["VAT", "", "other", "", "", "1.35", "USD", "tax"],
        ],
    )  # fmt: skip
    write_csv(
        warehouse.landing / "invoices" / "azure_openai_2026-11.csv",
        INVOICE_HEADER,
        [
            ["INV-AZ-11", "azure_openai", "2026-11-01", "2026-12-01", 1, "PTU reservation ptu-east",
             "flat-model", "capacity", 720, "hours", "205.00", "USD", "usage"],
            ["INV-AZ-11", "azure_openai", "2026-11-01", "2026-12-01", 2, "PTU burst hours",
             "", "capacity", 12, "hours", "10.00", "USD", "usage"],
            ["INV-AZ-11", "azure_openai", "2026-11-01", "2026-12-01", 3, "VAT", "", "other", "",
             "", "25.80", "USD", "tax"],
        ],
    )  # fmt: skip
    build(warehouse, variables=VARIABLES)
    return warehouse


def reconciliation(warehouse: Warehouse, provider: str) -> dict[str, Any]:
    columns = [
        "invoice_amount", "ledger_amount", "variance", "variance_pct", "status",
        "explained_discounts", "explained_credits", "explained_fees", "explained_unpriced_usage",
        "explained_price_difference", "explained_volume_difference", "unexplained_amount",
        "timezone_cutoff_amount", "reporting_month_ledger_amount", "ledger_requests",
    ]  # fmt: skip
    return warehouse.record(
        columns,
        "from marts.fct_invoice_reconciliation"
        " where provider = ? and billing_period_start = date '2026-10-01'",
        [provider],
    )


def test_a_an_invoice_of_47820_31_against_a_ledger_of_46912_08_is_within_tolerance(
    company: Warehouse,
) -> None:
    openai = reconciliation(company, "openai")
    assert openai["invoice_amount"] == Decimal("47820.31")
    assert openai["ledger_amount"] == Decimal("46912.08")
    assert openai["variance"] == Decimal("908.23")
    assert round(openai["variance_pct"], 2) == 1.90
    assert openai["status"] == "within_tolerance"
    # Same tokens on both sides: the whole variance is a price difference.
    assert openai["explained_price_difference"].quantize(Decimal("0.01")) == Decimal("908.23")
    assert openai["explained_volume_difference"] == 0


def test_b_calls_after_midnight_in_almaty_stay_in_the_utc_billing_period_as_the_cutoff(
    company: Warehouse,
) -> None:
    anthropic = reconciliation(company, "anthropic")
    assert anthropic["ledger_requests"] == 13
    assert anthropic["ledger_amount"] == Decimal("13.00")
    assert anthropic["reporting_month_ledger_amount"] == Decimal("10.00")
    assert anthropic["timezone_cutoff_amount"] == Decimal("3.00")
    late_months = company.query(
        "select distinct period_month, billing_period_start from marts.fct_request_costs "
        "where request_id like 'an-late-%'"
    )
    assert [(str(m), str(b)) for m, b in late_months] == [("2026-11-01", "2026-10-01")]


def test_c_a_discount_and_a_credit_are_explained_to_the_cent(company: Warehouse) -> None:
    anthropic = reconciliation(company, "anthropic")
    assert anthropic["variance"] == Decimal("-1.75")
    assert anthropic["explained_discounts"] == Decimal("-1.30")
    assert anthropic["explained_credits"] == Decimal("-0.45")
    for part in ("explained_fees", "explained_unpriced_usage", "explained_price_difference",
                 "explained_volume_difference", "unexplained_amount"):  # fmt: skip
        assert anthropic[part] == 0, part


def month_end_pack(company: Warehouse, period: str, out: Path) -> Path:
    """Writes the month-end pack of `period` from the company's warehouse; its workbook."""
    environment = {
        **os.environ,
        "DBT_PROFILES_DIR": str(company.root / "profiles"),
        "CHARGEBACK_LANDING_DIR": str(company.landing),
        "CHARGEBACK_DUCKDB_PATH": str(company.database),
        "CHARGEBACK_TARGET": "dev",
    }
    completed = subprocess.run(
        [sys.executable, "-m", "chargeback.report", "--period", period, "--out", str(out),
         "--project-dir", str(company.root), "--database", str(company.database)],
        env=environment, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return out / period / f"month_end_pack_{period}.xlsx"


def field_row(sheet: Any) -> int:
    """The row of a pack sheet's field names: after the header lines, a blank row, the title
    and the plain headers."""
    blank = next(row[0].row for row in sheet.iter_rows(min_row=1) if row[0].value is None)
    return blank + 3


def table_rows(sheet: Any) -> list[tuple[Any, ...]]:
    """A pack sheet's field names, then its rows (the totals row last)."""
    return list(sheet.iter_rows(min_row=field_row(sheet), values_only=True))


def sheet_rows(workbook: Any, sheet: str) -> list[dict[str, Any]]:
    """The rows of a pack sheet's table (below its header), by column, the totals row last."""
    rows = table_rows(workbook[sheet])
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_d_the_workbook_opens_ties_to_the_marts_and_names_its_fx_rate(
    company: Warehouse, tmp_path: Path
) -> None:
    month_end_pack(company, "2026-10", tmp_path)
    workbook = load_workbook(tmp_path / "2026-10" / "month_end_pack_2026-10.xlsx")
    expected = [
        "Summary",
        "Bridge",
        "Team chargeback",
        "Draft bills",
        "Unit cost",
        "Reconciliation",
        "Unallocated",
        "Prices",
        "Method",
    ]
    assert set(expected) <= set(workbook.sheetnames)

    summary = workbook["Summary"]
    header = {
        row[0]: row[1]
        for row in summary.iter_rows(min_row=1, max_row=field_row(summary) - 4, values_only=True)
    }
    # what the figures were built from: the commit, and checksums of the landed files and seeds
    assert "commit " in header["Built from"]
    assert (
        "landed files sha256 " in header["Built from"] and "seeds sha256 " in header["Built from"]
    )
    assert "1 USD = 500.000000 KZT" in header["FX rates used"]
    assert header["Reporting currency"] == "KZT"
    assert (
        header["Ledger rows"] == "110"
    )  # 100 OpenAI calls and the 10 of Anthropic before the cut-off

    rows = table_rows(summary)
    columns = list(rows[0])
    total_row = next(row for row in rows if row[0] == "Total")
    charged = company.scalar(
        "select sum(total_charge) from marts.fct_team_chargeback "
        "where period_month = date '2026-10-01'"
    )
    assert Decimal(str(total_row[columns.index("total_charge")])) == Decimal(charged).quantize(
        Decimal("0.01")
    )

    # the bridge from the invoices ends at the Summary's total charge, a cent or two of
    # rounding apart at most
    bridge = {row["line"]: Decimal(str(row["amount"])) for row in sheet_rows(workbook, "Bridge")}
    summary_total = Decimal(str(total_row[columns.index("total_charge")]))
    assert bridge["Total charge"] == summary_total
    assert sum(bridge.values()) - bridge["Total charge"] == summary_total
    assert abs(bridge["Rounding"]) <= Decimal("0.05")

    # every budgeted team is on the Budget sheet, charged or not
    budgets = {row["team_id"]: row for row in sheet_rows(workbook, "Budget")}
    assert budgets["platform"]["budget"] == 1_000_000 and budgets["platform"]["total_charge"] == 0
    assert budgets["Total"]["budget"] == 31_000_000

    # one figure per team's charge on every sheet that shows it (report/consistent.py)
    charges: dict[str, dict[str, Decimal]] = {}
    for sheet, column in (
        ("Summary", "total_charge"),
        ("Team chargeback", "total_charge"),
        ("Draft bills", "amount"),
        ("Budget", "total_charge"),
    ):
        for row in sheet_rows(workbook, sheet)[:-1]:  # the totals row last
            figures = charges.setdefault(row["team_id"], {})
            figures[sheet] = figures.get(sheet, Decimal(0)) + Decimal(str(row[column]))
    assert charges and all(len(set(figures.values())) == 1 for figures in charges.values()), charges

    # the Prices sheet: every October call priced by the catalogue, its total the ledger cost
    price_rows = table_rows(workbook["Prices"])
    price_columns = list(price_rows[0])
    kinds = {row[price_columns.index("price_source_kind")] for row in price_rows[1:-1]}
    assert kinds == {"catalogue"}
    price_total = next(row for row in price_rows if row[0] == "Total")
    ledger = company.scalar(
        "select sum(ledger_cost) from marts.fct_team_chargeback"
        " where period_month = date '2026-10-01'"
    )
    assert Decimal(str(price_total[price_columns.index("ledger_cost")])) == Decimal(
        ledger
    ).quantize(Decimal("0.01"))

    reconciliation_rows = table_rows(workbook["Reconciliation"])
    head = list(reconciliation_rows[0])
    openai = next(row for row in reconciliation_rows[1:] if row[0] == "openai")
    assert Decimal(str(openai[head.index("variance")])) == Decimal("908.23")
    # the explanation's discount and credit cite Anthropic's own invoice lines
    anthropic = next(row for row in reconciliation_rows[1:] if row[0] == "anthropic")
    assert anthropic[head.index("invoice_lines_cited")] == (
        "Volume discount (-1.30); Service credit (-0.45)"
    )
    # plain headers with their unit above the field names, and every percentage a % of Excel's
    sheet = workbook["Reconciliation"]
    plain = [cell.value for cell in sheet[field_row(sheet) - 1]]
    assert plain[head.index("variance")] == "Variance (invoice - ledger - pools) (invoice currency)"
    assert plain[head.index("invoice_amount_reporting")] == "Invoice amount (KZT)"
    assert plain[head.index("variance_pct")] == "Variance (%)"
    openai_row = next(
        row for row in sheet.iter_rows(min_row=field_row(sheet)) if row[0].value == "openai"
    )
    percentage = openai_row[head.index("variance_pct")]
    variance_pct = company.scalar(
        "select variance_pct from marts.fct_invoice_reconciliation"
        " where provider = 'openai' and billing_period_start = date '2026-10-01'"
    )
    assert percentage.number_format == "0.00%"
    assert abs(Decimal(str(percentage.value)) - Decimal(variance_pct) / 100) < Decimal("1e-6")
    summary_plain = [cell.value for cell in summary[field_row(summary) - 1]]
    assert "Total charge (KZT)" in summary_plain and "Team" in summary_plain
    assert (
        (tmp_path / "2026-10" / "csv" / "reconciliation.csv")
        .read_text()
        .startswith("# Period: 2026-10")
    )
    assert (tmp_path / "2026-10" / "charts" / "invoice_waterfall.png").stat().st_size > 0


def own_model_call(warehouse: Warehouse, request_id: str) -> dict[str, Any]:
    columns = [
        "model_canonical", "catalogue_match_rule_id", "price_source_kind", "price_source",
        "list_cost", "contracted_cost", "is_priced", "unpriced_reason",
    ]  # fmt: skip
    return warehouse.record(
        columns, "from marts.fct_request_costs where request_id = ?", [request_id]
    )


def test_e_your_own_price_replaces_the_catalogues_from_its_start_date(
    company: Warehouse,
) -> None:
    listed = own_model_call(company, "sh-listed")
    own = own_model_call(company, "sh-own-price")
    # the custom row's prefix match names the model at every date
    for row in (listed, own):
        assert row["model_canonical"] == "in-house-llm"
        assert row["catalogue_match_rule_id"] == (
            "custom_model_prices/self_hosted#starts_with:in-house-llm"
        )
    # 2,000,000 tokens at the price table's $1.00 per million before 15 November...
    assert listed["price_source_kind"] == "catalogue"
    assert listed["list_cost"] == Decimal("2.00")
    # ...and at the company's own $0.50 from then on
    assert own["price_source_kind"] == "custom"
    assert own["price_source"] == "custom_model_prices: internal transfer price 2026-11"
    assert own["list_cost"] == Decimal("1.00") and own["contracted_cost"] == Decimal("1.00")


def test_f_a_model_free_on_purpose_costs_zero_and_is_not_unpriced(company: Warehouse) -> None:
    free = own_model_call(company, "sh-free")
    assert free["price_source_kind"] == "free"
    assert free["is_priced"] is True and free["unpriced_reason"] is None
    assert free["list_cost"] == 0 and free["contracted_cost"] == 0
    # November's chargeback of the team holds its own models' calls (2.00 + 1.00 + 0 + 0 USD)
    # and the fine-tune's 5.00, at 510 KZT
    ledger_cost = company.scalar(
        "select sum(ledger_cost) from marts.fct_team_chargeback"
        " where team_id = 'finance' and period_month = date '2026-11-01'"
    )
    late_anthropic = Decimal("3.00")  # the three calls after 19:00 UTC on 31 October
    assert ledger_cost == (Decimal("3.00") + Decimal("5.00") + late_anthropic) * 510


def test_g_a_call_to_a_deployment_is_the_model_it_serves_and_names_the_deployment(
    company: Warehouse,
) -> None:
    deployed = company.record(
        ["model_logged", "model_deployment", "deployment_type", "deployment_region",
         "model_alias", "model_canonical", "price_source_kind", "contracted_cost"],
        "from marts.fct_request_costs where request_id = 'sh-deployed'",
    )  # fmt: skip
    assert deployed == {
        "model_logged": "self_hosted/GPU-Pool-A",
        "model_deployment": "gpu-pool-a",
        "deployment_type": "self_hosted_gpu",
        "deployment_region": "eu-west",
        "model_alias": None,
        "model_canonical": "llama-local",
        "price_source_kind": "free",
        "contracted_cost": 0,
    }


def test_h_a_fine_tune_is_its_base_model_at_its_own_rate(company: Warehouse) -> None:
    fine_tune = company.record(
        ["model_canonical", "price_model", "fine_tune_id", "price_source_kind", "list_cost"],
        "from marts.fct_request_costs where request_id = 'oa-fine-tune'",
    )
    assert fine_tune == {
        "model_canonical": "flat-model",
        "price_model": "ft:flat-model",
        "fine_tune_id": "ft:flat-model:acme::abc123",
        "price_source_kind": "custom",
        "list_cost": Decimal("5.00"),  # 1,000,000 tokens at $5.00, not the base's $2.50
    }


def test_i_a_capacity_pool_is_charged_by_what_was_used_and_its_idle_part_to_its_owner(
    company: Warehouse, tmp_path: Path
) -> None:
    pooled = company.record(
        ["model_deployment", "capacity_pool", "model_canonical", "price_source_kind",
         "is_priced", "contracted_cost"],
        "from marts.fct_request_costs where request_id = 'sh-pooled'",
    )  # fmt: skip
    # the call costs nothing per token: the pool's cost is shared instead
    assert pooled == {
        "model_deployment": "gpu-pool-b",
        "capacity_pool": "gpu-b",
        "model_canonical": "llama-local",
        "price_source_kind": "capacity",
        "is_priced": True,
        "contracted_cost": 0,
    }
    rows = company.query(
        "select team_id, sum(capacity_cost), sum(idle_capacity_cost), sum(capacity_cost_usd),"
        " sum(idle_capacity_cost_usd) from marts.fct_team_chargeback"
        " where period_month = date '2026-11-01' group by team_id"
    )
    charged = {team: tuple(amounts) for team, *amounts in rows}
    half = Decimal("150.00")  # 2,000,000 of 4,000,000 weighted tokens of $300.00
    assert charged["finance"] == (half * 510, 0, half, 0)
    assert charged["platform"] == (0, half * 510, 0, half)
    lines = company.query(
        "select team_id, line_type, amount from marts.fct_team_bill_lines"
        " where period_month = date '2026-11-01' and line_type in ('capacity', 'idle_capacity')"
        " and team_id in ('finance', 'platform') order by team_id"
    )
    assert lines == [("finance", "capacity", half * 510), ("platform", "idle_capacity", half * 510)]

    # the November pack shows both: the caller's capacity and the owner's idle capacity
    workbook = load_workbook(month_end_pack(company, "2026-11", tmp_path), data_only=True)
    summary = {row["team_id"]: row for row in sheet_rows(workbook, "Summary")}
    assert Decimal(str(summary["finance"]["capacity_cost"])) == half * 510
    assert Decimal(str(summary["platform"]["idle_capacity_cost"])) == half * 510
    bill_lines = {(row["team_id"], row["line_type"]) for row in sheet_rows(workbook, "Draft bills")}
    assert {("finance", "capacity"), ("platform", "idle_capacity")} <= bill_lines
    prices = sheet_rows(workbook, "Prices")
    assert "capacity" in {row["price_source_kind"] for row in prices}
    # the Prices sheet names the pools that served the month's calls
    assert {row["capacity_pool"] for row in prices} >= {"gpu-b", "ptu-east", "ptu-burst"}
    # the Capacity sheet: each period of the month, its used and idle cost adding up to it
    capacity = {row["capacity_pool"]: row for row in sheet_rows(workbook, "Capacity")}
    assert set(capacity) >= {"gpu-b", "ptu-east", "ptu-burst"}
    gpu_b = capacity["gpu-b"]
    assert Decimal(str(gpu_b["used_cost"])) + Decimal(str(gpu_b["idle_cost"])) == 2 * half * 510


def test_j_a_reservation_azure_invoices_is_charged_once_by_its_pool_and_ties_to_the_invoice(
    company: Warehouse,
) -> None:
    # the call costs nothing per token: the pool's cost is shared instead
    assert company.record(
        ["model_deployment", "capacity_pool", "price_source_kind", "contracted_cost"],
        "from marts.fct_request_costs where request_id = 'az-ptu'",
    ) == {
        "model_deployment": "azure/ptu-east",
        "capacity_pool": "ptu-east",
        "price_source_kind": "capacity",
        "contracted_cost": 0,
    }
    # the invoice's reservation line is compared with the pool, not taken for a variance
    november = company.record(
        ["invoice_amount", "ledger_amount", "capacity_amount", "variance",
         "explained_price_difference", "unexplained_amount", "main_reason"],
        "from marts.fct_invoice_reconciliation"
        " where provider = 'azure_openai' and billing_period_start = date '2026-11-01'",
    )  # fmt: skip
    assert november == {
        "invoice_amount": Decimal("215.00"),
        "ledger_amount": 0,
        "capacity_amount": Decimal("210.00"),
        "variance": Decimal("5.00"),  # billed above what the pool says
        "explained_price_difference": Decimal("5.00"),
        "unexplained_amount": 0,
        "main_reason": "price difference",
    }
    # the burst's call, inside its twelve hours, is the pool's
    assert (
        company.scalar(
            "select capacity_pool from marts.fct_request_costs where request_id = 'az-burst'"
        )
        == "ptu-burst"
    )
    # ptu-east: half used, the idle half shared by its only user (no owner); the burst: 72,000
    # of 720,000 weighted tokens used (1.00), the rest idle to its owner, ops; the 5.00 the
    # invoice bills above the pools is the true-up: ops is charged the invoice, once
    ops = company.record(
        ["capacity_cost", "idle_capacity_cost", "invoice_true_up", "total_charge"],
        "from (select sum(capacity_cost) as capacity_cost,"
        " sum(idle_capacity_cost) as idle_capacity_cost, sum(invoice_true_up) as invoice_true_up,"
        " sum(total_charge) as total_charge from marts.fct_team_chargeback"
        " where team_id = 'ops' and period_month = date '2026-11-01')",
    )
    assert ops == {
        "capacity_cost": Decimal("101.00") * 510,
        "idle_capacity_cost": Decimal("109.00") * 510,
        "invoice_true_up": Decimal("5.00") * 510,
        "total_charge": Decimal("215.00") * 510,
    }
    # the FOCUS export: Azure issues the capacity charges, on its invoice, and bills the invoice
    focus = company.query(
        "select x_charge_kind, x_invoice_id, sum(billed_cost) from marts.fct_focus_costs"
        " where x_provider_id = 'azure_openai' and x_billing_month = date '2026-11-01'"
        " and charge_category != 'Tax' group by all order by all"
    )
    assert focus == [
        ("capacity", "INV-AZ-11", Decimal("210.00") * 510),
        ("invoice_true_up", "INV-AZ-11", Decimal("5.00") * 510),
        ("token_usage", None, 0),  # the call, at no cost per token
    ]
