"""End to end: a hand-written landing set through `dbt build` into the request ledger.

Every expected cost below is computed by hand from the price table, matching rules, contract
and round FX rates this test installs (not the generated catalogue, which changes with its
version), so a wrong rule anywhere between landing and ledger shows up as a wrong figure here.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harness import PRICE_HEADER, Warehouse, build, project_copy, write_jsonl

FX_RATES = """
rate_date,from_currency,to_currency,rate,source
2026-09-01,USD,KZT,500,test
2026-10-01,USD,KZT,510,test
2026-09-01,EUR,KZT,580,test
2026-10-01,EUR,KZT,590,test
"""

# The test's own list prices per million tokens (the catalogue's columns).
PRICE_ROWS = (
    "openai,gpt-4o,standard,0,2024-08-06,,USD,2.5,1.25,,,10",
    "openai,gpt-4o,batch,0,2024-08-06,,USD,1.25,,,,5",
    "openai,gpt-4o-mini,standard,0,2024-07-18,2026-09-10,USD,0.15,0.075,,,0.6",
    "openai,gpt-4o-mini,standard,0,2026-09-10,,USD,0.12,0.06,,,0.48",
    "openai,gpt-4o-mini,batch,0,2024-07-18,,USD,0.075,,,,0.3",
    "openai,gpt-4.1-mini,standard,0,2025-04-14,,USD,0.4,0.1,,,1.6",
    "openai,text-embedding-3-small,standard,0,2024-01-25,,USD,0.02,,,,",
    "openai,text-embedding-3-small,batch,0,2024-01-25,,USD,0.01,,,,",
    "anthropic,claude-sonnet-4,standard,0,2025-05-14,,USD,3,0.3,3.75,6,15",
    "anthropic,claude-sonnet-4,standard,200000,2025-05-14,,USD,6,0.6,7.5,12,22.5",
    "anthropic,claude-sonnet-4,batch,0,2025-05-14,,USD,1.5,0.15,1.875,3,7.5",
    "anthropic,claude-sonnet-4,batch,200000,2025-05-14,,USD,3,0.3,3.75,6,11.25",
    "anthropic,claude-3-5-haiku,standard,0,2024-10-22,,USD,0.8,0.08,1,1.6,4",
    "anthropic,claude-3-5-haiku,batch,0,2024-10-22,,USD,0.4,0.04,0.5,0.8,2",
    "anthropic,claude-opus-4,standard,0,2025-05-14,,USD,15,1.5,18.75,30,75",
    "aws_bedrock,claude-sonnet-4,standard,0,2025-05-14,,USD,3,0.3,3.75,,15",
    "aws_bedrock,claude-sonnet-4,standard,200000,2025-05-14,,USD,6,0.6,7.5,,22.5",
    "aws_bedrock,nova-lite,standard,0,2024-12-03,,USD,0.06,0.015,,,0.24",
    "aws_bedrock,titan-embed-text-v2,standard,0,2024-04-30,,USD,0.02,,,,",
)
MODEL_PRICES = "\n".join([PRICE_HEADER, *(f"{row},test prices,test==1," for row in PRICE_ROWS)])
# Dated and regional ids resolve to the table's model ids through rules of the generated kind.
MODEL_MATCH_RULES = """
provider,rule_rank,rule_id,condition_kind,pattern,model,price_provider,catalogue_version
openai,1,openai/gpt-4o-mini#1,starts_with,gpt-4o-mini,gpt-4o-mini,openai,test==1
openai,2,openai/gpt-4o#1,equals,gpt-4o,gpt-4o,openai,test==1
openai,3,openai/gpt-4.1-mini#1,equals,gpt-4.1-mini,gpt-4.1-mini,openai,test==1
anthropic,1,anthropic/claude-3-5-haiku#1,starts_with,claude-3-5-haiku,claude-3-5-haiku,anthropic,test==1
anthropic,2,anthropic/claude-opus-4#1,equals,claude-opus-4,claude-opus-4,anthropic,test==1
aws_bedrock,1,aws/claude-sonnet-4#1,contains,anthropic.claude-sonnet-4-,claude-sonnet-4,aws_bedrock,test==1
"""
# 10% off Opus from 2026-09-01: the ledger charges the contracted cost, keeps the list cost.
CONTRACT_PRICES = """
provider,model,valid_from,valid_to,input_per_mtok,cache_read_per_mtok,cache_write_per_mtok,cache_write_1h_per_mtok,output_per_mtok,discount_pct,contract_reference
anthropic,claude-opus-4,2026-09-01,,,,,,,10,test contract
"""
OPUS_CONTRACT = Decimal("0.9")

M = Decimal("0.000001")  # one token at a price per million tokens


def request(request_id: str, occurred_at: str, provider: str, model: str, **fields: Any) -> dict:
    record = {
        "request_id": request_id,
        "occurred_at": occurred_at,
        "provider": provider,
        "model": model,
        "status_code": 200,
        "attempt_number": 1,
    }
    record.update(fields)
    return record


LANDED = [
    # Before the alias re-point (2026-09-15): chat-default is gpt-4o (2.50 / 1.25 / 10.00).
    request(
        "before_repoint",
        "2026-09-14T10:00:00Z",
        "OpenAI",
        "chat-default",
        input_tokens=1200,
        cache_read_tokens=200,
        output_tokens=300,
        team="sales",
        product="sales_copilot",
        environment="Production",
        scenario="email_draft",
        api_key_id="key_sales_prod",
        user_id="alice",
    ),
    # After it: gpt-4.1-mini (0.40 / 0.10 / 1.60).
    request(
        "after_repoint",
        "2026-09-15T10:00:00Z",
        "openai",
        "chat-default",
        input_tokens=1000,
        output_tokens=500,
        api_key_id="key_sales_prod",
    ),
    # Bedrock id with region prefix and version, above the 200k tier: every token at the tier.
    request(
        "long_context",
        "2026-09-03T08:00:00Z",
        "bedrock",
        "us.anthropic.claude-sonnet-4-20250514-v1:0",
        input_tokens=250000,
        cache_write_tokens=10000,
        output_tokens=2000,
        team="risk",
        environment="prod",
        api_key_id="key_risk_prod",
    ),
    # Batch on a model with batch prices (haiku batch 0.40 / 2.00).
    request(
        "batch",
        "2026-09-05T21:00:00Z",
        "anthropic",
        "claude-3-5-haiku-20241022",
        is_batch=True,
        input_tokens=10000,
        output_tokens=2000,
        api_key_id="key_digest_batch",
    ),
    # Gateway cache hit after the gpt-4o-mini price cut (0.12 / 0.48 from 2026-09-10).
    request(
        "cache_hit",
        "2026-09-20T09:00:00Z",
        "openai",
        "openai/gpt-4o-mini",
        gateway_cache_hit=True,
        input_tokens=1000,
        output_tokens=100,
        api_key_id="key_search_prod",
    ),
    # A failed call that consumed tokens, then its successful retry (opus 15.00 / 75.00).
    request(
        "failed",
        "2026-09-21T09:00:00Z",
        "anthropic",
        "claude-opus-4",
        status_code=500,
        input_tokens=3000,
        output_tokens=0,
        team="suport",
        api_key_id="key_support_prod",
    ),
    request(
        "retry",
        "2026-09-21T09:00:02Z",
        "anthropic",
        "claude-opus-4",
        original_request_id="failed",
        attempt_number=2,
        input_tokens=3000,
        output_tokens=400,
        team="suport",
        api_key_id="key_support_prod",
    ),
    # A model the price table does not know: kept, unpriced, never zero.
    request(
        "unpriced",
        "2026-09-22T09:00:00Z",
        "openai",
        "gpt-4o-audio-preview",
        input_tokens=1000,
        output_tokens=100,
        api_key_id="key_shared_platform",
    ),
    # 20:30 UTC on 30 September is 01:30 on 1 October in Almaty: October, at October's rate.
    request(
        "month_end",
        "2026-09-30T20:30:00Z",
        "openai",
        "gpt-4o-mini",
        input_tokens=2000,
        output_tokens=1000,
        api_key_id="key_calls_prod",
    ),
]

EXPECTED_USD = {
    "before_repoint": 1000 * Decimal("2.50") * M + 200 * Decimal("1.25") * M + 300 * 10 * M,
    "after_repoint": 1000 * Decimal("0.40") * M + 500 * Decimal("1.60") * M,
    "long_context": 240000 * 6 * M + 10000 * Decimal("7.50") * M + 2000 * Decimal("22.50") * M,
    "batch": 10000 * Decimal("0.40") * M + 2000 * Decimal("2.00") * M,
    "cache_hit": Decimal(0),
    "failed": 3000 * 15 * M * OPUS_CONTRACT,
    "retry": (3000 * 15 * M + 400 * 75 * M) * OPUS_CONTRACT,
    "month_end": 2000 * Decimal("0.12") * M + 1000 * Decimal("0.48") * M,
}
RATE = {"2026-09-01": Decimal(500), "2026-10-01": Decimal(510)}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(
        tmp_path_factory.mktemp("e2e"),
        seeds={
            "fx_rates": FX_RATES,
            "model_prices": MODEL_PRICES,
            "model_match_rules": MODEL_MATCH_RULES,
            "contract_prices": CONTRACT_PRICES,
        },
    )
    landing: Path = warehouse.landing / "gateway_requests" / "dt=2026-09"
    write_jsonl(landing / "part-0.jsonl", LANDED)
    with (landing / "part-0.jsonl").open("a") as file:
        file.write('{"request_id": "broken", "occurred_at": \n')
    build(
        warehouse,
        variables={
            "chargeback__max_unpriced_share": 0.2,
            "chargeback__min_tagged_spend_share": 0,
            "chargeback__max_quarantine_share": 0.2,  # one broken line of ten, on purpose
        },
    )
    return warehouse


def ledger_row(warehouse: Warehouse, request_id: str) -> dict[str, Any]:
    columns = [
        "period_month",
        "provider",
        "model_canonical",
        "model_alias",
        "team_id",
        "attribution_method",
        "cost_type",
        "cost_usd",
        "cost_reporting",
        "fx_rate",
        "is_priced",
        "price_tier_above_input_tokens",
        "price_processing",
        "cache_savings_usd",
        "environment",
    ]
    return warehouse.record(
        columns, "from marts.fct_request_costs where request_id = ?", [request_id]
    )


@pytest.mark.parametrize("request_id", sorted(EXPECTED_USD))
def test_each_priced_request_costs_what_the_price_table_says_to_the_12th_decimal(
    ledger: Warehouse, request_id: str
) -> None:
    row = ledger_row(ledger, request_id)
    expected_usd = EXPECTED_USD[request_id]
    assert row["cost_usd"] == expected_usd
    assert row["cost_reporting"] == expected_usd * RATE[str(row["period_month"])]
    assert row["fx_rate"] == RATE[str(row["period_month"])]


def test_aliases_and_provider_ids_resolve_to_canonical_models(ledger: Warehouse) -> None:
    assert ledger_row(ledger, "before_repoint")["model_canonical"] == "gpt-4o"
    assert ledger_row(ledger, "after_repoint")["model_canonical"] == "gpt-4.1-mini"
    bedrock = ledger_row(ledger, "long_context")
    assert (bedrock["provider"], bedrock["model_canonical"]) == ("aws_bedrock", "claude-sonnet-4")
    assert bedrock["price_tier_above_input_tokens"] == 200000
    assert ledger_row(ledger, "batch")["price_processing"] == "batch"


def test_owners_come_from_valid_tags_then_keys_else_unallocated(ledger: Warehouse) -> None:
    tagged = ledger_row(ledger, "before_repoint")
    assert (tagged["team_id"], tagged["attribution_method"], tagged["environment"]) == (
        "sales",
        "tag",
        "prod",
    )
    misspelt_team = ledger_row(ledger, "failed")
    assert (misspelt_team["team_id"], misspelt_team["attribution_method"]) == ("support", "key")
    shared_key = ledger_row(ledger, "unpriced")
    assert (shared_key["team_id"], shared_key["attribution_method"]) == (
        "UNALLOCATED",
        "unallocated",
    )


def test_a_contract_charges_the_contracted_cost_and_keeps_the_list_cost(
    ledger: Warehouse,
) -> None:
    contracted, listed, reference, version = ledger.query(
        "select contracted_cost_usd, list_cost_usd, contract_reference, price_catalogue_version"
        " from marts.fct_request_costs where request_id = 'retry'"
    )[0]
    assert listed == 3000 * 15 * M + 400 * 75 * M
    assert contracted == listed * OPUS_CONTRACT
    assert (reference, version) == ("test contract", "test==1")


def test_cost_types_cache_savings_and_unpriced_requests(ledger: Warehouse) -> None:
    assert ledger_row(ledger, "failed")["cost_type"] == "failed"
    assert ledger_row(ledger, "retry")["cost_type"] == "retry"
    hit = ledger_row(ledger, "cache_hit")
    assert hit["cost_type"] == "cache_hit"
    assert hit["cache_savings_usd"] == 1000 * Decimal("0.12") * M + 100 * Decimal("0.48") * M
    unpriced = ledger_row(ledger, "unpriced")
    assert unpriced["is_priced"] is False
    assert unpriced["cost_usd"] is None


def test_a_request_late_on_the_last_utc_day_belongs_to_the_next_local_month(
    ledger: Warehouse,
) -> None:
    assert str(ledger_row(ledger, "month_end")["period_month"]) == "2026-10-01"


def test_nothing_landed_is_lost(ledger: Warehouse) -> None:
    assert ledger.scalar("select count(*) from marts.fct_request_costs") == len(LANDED)
    assert ledger.query(
        "select quarantine_reason, occurrences from marts.fct_quarantined_records"
    ) == [("malformed record: not a JSON object with the contract fields", 1)]
