"""Real request-log formats (LiteLLM, OpenTelemetry GenAI spans, Bedrock) built into the ledger.

The landing set starts from the format examples in `fixtures/formats/` (copied from the
project's format notes) and adds the edge cases the notes name: an older LiteLLM row without
the newest columns and with an unknown key, a malformed line, a non-GenAI span, and the same
call logged by LiteLLM and by OpenTelemetry, which the ledger must count once.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harness import (
    SMALL_LANDING_VARIABLES,
    Warehouse,
    build,
    isolated_price_seeds,
    project_copy,
)

FORMATS = Path(__file__).parent / "fixtures" / "formats"
VARIABLES = {
    **SMALL_LANDING_VARIABLES,
    "chargeback__max_quarantine_share": 1,  # the real samples include broken records on purpose
}
PRICES = {  # harness.Prices: input, cache read, cache write (5 minutes, 1 hour), output
    ("openai", "gpt-4.1-mini"): ("0.40", "0.10", "", "", "1.60"),
    ("openai", "gpt-4o"): ("2.50", "1.25", "", "", "10.00"),
    ("anthropic", "claude-sonnet-4.5"): ("3.00", "0.30", "3.75", "", "15.00"),
    ("aws_bedrock", "claude-haiku-4.5"): ("1.00", "0.10", "1.25", "", "5.00"),
    ("aws_bedrock", "titan-embed-text-v2"): ("0.02", "", "", "", "0.00"),
}
SEEDS = {
    "teams": "team_id,team_name,department,cost_center,budget_owner\n"
    "team-support,Support,Ops,CC-1,o\nteam-search,Search,Product,CC-2,o\nanalytics,Analytics,Data,CC-3,o",
    "products": "product_id,product_name,owner_team_id,lifecycle\n"
    "support-bot,Support bot,team-support,production\n"
    "catalog-search,Catalog search,team-search,production\nanalyst,Analyst,analytics,production",
    "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
    "support-bot,chat_reply,Chat reply,conversation,unit_id\n"
    "catalog-search,query_rewrite,Query rewrite,query,request\n"
    "catalog-search,embedding_index,Embedding index,document,request",
    "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,valid_from,valid_to\n"
    "support-bot-prod,team-support,support-bot,prod,false,2026-01-01,\n"
    "analytics-batch,analytics,analyst,prod,false,2026-01-01,\n"
    "search-indexer,team-search,catalog-search,prod,false,2026-01-01,",
    "model_aliases": "alias,provider,canonical_provider,canonical_model,valid_from,valid_to\n"
    "gpt-4.1-mini-2025-04-14,openai,openai,gpt-4.1-mini,2025-04-14,\n"
    "claude-sonnet-4-5-20250929,anthropic,anthropic,claude-sonnet-4.5,2025-09-29,\n"
    "claude-sonnet-4-5,anthropic,anthropic,claude-sonnet-4.5,2025-09-29,\n"
    "anthropic.claude-haiku-4-5-20251001-v1,aws_bedrock,aws_bedrock,claude-haiku-4.5,2025-10-01,\n"
    "amazon.titan-embed-text-v2,aws_bedrock,aws_bedrock,titan-embed-text-v2,2024-04-30,",
    **isolated_price_seeds(PRICES),
    "provider_accounts": "provider,account_type,account_id,api_key_id,team_id\n"
    "openai,project,proj_support,support-bot-prod,team-support",
    "budgets": "period_month,team_id,amount,currency\n",
}
# The same call, as LiteLLM (an older proxy: no session_id ... created_at columns, and a key
# this project does not know) and as an OpenTelemetry span that names the same response id.
SAME_CALL_LITELLM = {
    "request_id": "chatcmpl-dup1",
    "call_type": "acompletion",
    "api_key": "hash-of-the-key",
    "spend": 0.00056,
    "prompt_tokens": 1000,
    "completion_tokens": 100,
    "startTime": "2026-05-14T10:00:00.000Z",
    "model": "gpt-4.1-mini-2025-04-14",
    "model_group": "support-main",
    "custom_llm_provider": "openai",
    "metadata": {
        "user_api_key_alias": "support-bot-prod",
        "spend_logs_metadata": {"scenario": "chat_reply", "conversation_id": "conv-9"},
        "status": "success",
    },
    "cache_hit": "False",
    "request_tags": ["product:support-bot", "env:prod", "team:team-support"],
    "team_id": None,
    "status": "success",
    "a_column_from_a_newer_release": {"anything": 1},
}


def span(span_id: str, attributes: dict[str, Any], start_nanos: str) -> dict[str, Any]:
    encoded = [
        {"key": k, "value": {"intValue" if isinstance(v, int) else "stringValue": str(v)}}
        for k, v in attributes.items()
    ]
    return {
        "traceId": "ffffffffffffffffffffffffffffffff",
        "spanId": span_id,
        "startTimeUnixNano": start_nanos,
        "attributes": encoded,
        "status": {"code": 0},
    }


SAME_CALL_OTEL = {
    "resourceSpans": [
        {
            "resource": {
                "attributes": [{"key": "service.name", "value": {"stringValue": "support-bot"}}]
            },
            "scopeSpans": [
                {
                    "scope": {"name": "opentelemetry.instrumentation.openai"},
                    "spans": [
                        span(
                            "0000000000000001",
                            {
                                "gen_ai.provider.name": "openai",
                                "gen_ai.request.model": "gpt-4.1-mini",
                                "gen_ai.response.id": "chatcmpl-dup1",
                                "gen_ai.usage.input_tokens": 1000,
                                "gen_ai.usage.output_tokens": 100,
                            },
                            "1778752800000000000",
                        ),
                        span(
                            "0000000000000002",
                            {"http.request.method": "POST"},
                            "1778752800000000000",
                        ),
                    ],
                }
            ],
        }
    ]
}


# OpenAI's usage of 14 May for the support project, over two pages: it counts the two calls
# the gateway logged for that key (the cache hit never reached OpenAI). OpenAI's input
# includes the cached tokens: 1,569 uncached + 1,536 cached = 3,105.
USAGE_PAGES = [
    {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": 1778716800,
                "end_time": 1778803200,
                "results": [
                    {
                        "object": "organization.usage.completions.result",
                        "input_tokens": 3105,
                        "input_cached_tokens": 1536,
                        "output_tokens": 310,
                        "num_model_requests": 2,
                        "project_id": "proj_support",
                        "api_key_id": None,
                        "model": "gpt-4.1-mini-2025-04-14",
                        "batch": False,
                    }
                ],
            }
        ],
        "has_more": True,
        "next_page": "page_2",
    },
    {
        "object": "page",
        "data": [
            {"object": "bucket", "start_time": 1778803200, "end_time": 1778889600, "results": []}
        ],
        "has_more": False,
        "next_page": None,
    },
]


def write_litellm_csv(path: Path) -> None:
    """The first LiteLLM example as a CSV export row (JSON columns as JSON text), new id and day."""
    row = json.loads((FORMATS / "litellm_spend_logs.jsonl").read_text().splitlines()[0])
    row["request_id"] = "chatcmpl-csv1"
    row["startTime"] = "2026-05-20T09:12:03.118Z"  # a day the usage pages do not cover
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(list(row))
        writer.writerow(
            [
                json.dumps(v) if isinstance(v, dict | list) else "" if v is None else v
                for v in row.values()
            ]
        )


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("sources"), seeds=SEEDS)
    landing = warehouse.landing
    for folder, fixture, extra in (
        (
            "litellm_spend_logs",
            "litellm_spend_logs.jsonl",
            [json.dumps(SAME_CALL_LITELLM), "{not json"],
        ),
        ("otel_spans", "otel_genai_spans.jsonl", [json.dumps(SAME_CALL_OTEL), '{"truncated": ']),
        ("bedrock_invocation_logs", "bedrock_invocation_logs.jsonl", []),
    ):
        (landing / folder).mkdir(parents=True)
        lines = (FORMATS / fixture).read_text().strip().splitlines() + extra
        (landing / folder / fixture).write_text("\n".join(lines) + "\n")
    write_litellm_csv(landing / "litellm_spend_logs" / "export.csv")
    for folder, fixture in (
        ("openai_usage", "openai_usage_completions.json"),
        ("openai_costs", "openai_costs.json"),
        ("anthropic_usage", "anthropic_usage_report.json"),
        ("anthropic_costs", "anthropic_cost_report.json"),
    ):
        (landing / folder).mkdir(parents=True)
        (landing / folder / fixture).write_text((FORMATS / fixture).read_text())
    for number, page in enumerate(USAGE_PAGES, start=1):
        (landing / "openai_usage" / f"may_14_page_{number}.json").write_text(json.dumps(page))
    build(warehouse, variables=VARIABLES)
    return warehouse


def ledger(warehouse: Warehouse) -> dict[str, dict[str, Any]]:
    columns = [
        "request_id", "source_system", "team_id", "attribution_method", "product_id",
        "model_canonical", "cost_type", "input_tokens", "cache_read_tokens", "output_tokens",
        "cost_usd", "gateway_cost_usd", "attempt_number", "status_code", "model_alias",
    ]  # fmt: skip
    rows = warehouse.query(f"select {', '.join(columns)} from marts.fct_request_costs")
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def per_million(*parts: tuple[int, str]) -> Decimal:
    return (
        sum((Decimal(tokens) * Decimal(price) for tokens, price in parts), Decimal(0)) / 1_000_000
    )


def test_each_source_lands_every_call_once(sources: Warehouse) -> None:
    rows = ledger(sources)
    by_source = {
        s: sorted(r for r, v in rows.items() if v["source_system"] == s)
        for s in ("litellm", "otel", "bedrock")
    }
    assert len(by_source["litellm"]) == 5  # 3 examples, the older row, the CSV row
    # The span of chatcmpl-dup1 is LiteLLM's call again; the HTTP span is no call at all.
    assert len(by_source["otel"]) == 3
    assert len(by_source["bedrock"]) == 2
    duplicates = sources.query(
        "select source_system, duplicate_of_source_system, duplicate_of_request_id "
        "from marts.fct_duplicate_requests"
    )
    assert duplicates == [("otel", "litellm", "chatcmpl-dup1")]
    quarantined = sources.query(
        "select landed_entity, quarantine_reason from marts.fct_quarantined_records order by 1"
    )
    malformed = "malformed record: not a JSON object with the contract fields"
    assert quarantined == [("litellm_spend_logs", malformed), ("otel_spans", malformed)]


def test_litellm_tokens_owners_retries_and_cache_hits(sources: Warehouse) -> None:
    rows = ledger(sources)
    served = rows["chatcmpl-a1f3c9"]
    # LiteLLM's team_id is the key's team, not a caller's tag: the key alias owns the call
    assert (served["team_id"], served["attribution_method"], served["model_canonical"]) == (
        "team-support", "key", "gpt-4.1-mini",
    )  # fmt: skip
    assert (served["input_tokens"], served["cache_read_tokens"], served["output_tokens"]) == (
        2105,
        1536,
        210,
    )
    assert served["cost_usd"] == per_million((569, "0.40"), (1536, "0.10"), (210, "1.60"))
    assert served["gateway_cost_usd"] == Decimal("0.0041325")
    assert served["model_alias"] == "support-main"  # the model group the caller asked for
    failed = rows["msg_01Hq8XbR2"]
    assert (failed["team_id"], failed["attribution_method"], failed["cost_type"]) == (
        "analytics",
        "key",
        "failed",
    )
    assert (failed["attempt_number"], failed["status_code"]) == (3, 504)
    assert failed["cost_usd"] == per_million(
        (48000, "3.00")
    )  # the provider billed the input anyway
    cached = rows["chatcmpl-a1f3c9_cache_hit1747214000.12"]
    assert (cached["cost_type"], cached["cost_usd"], cached["team_id"]) == (
        "cache_hit",
        0,
        "team-support",
    )
    from_csv = rows["chatcmpl-csv1"]
    for column in ("team_id", "input_tokens", "cache_read_tokens", "output_tokens", "cost_usd"):
        assert from_csv[column] == served[column], column
    older = rows["chatcmpl-dup1"]
    assert (older["team_id"], older["product_id"]) == ("team-support", "support-bot")
    assert older["cost_usd"] == per_million((1000, "0.40"), (100, "1.60"))


def test_otel_current_and_deprecated_attribute_names(sources: Warehouse) -> None:
    rows = ledger(sources)
    current = rows["5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174"]
    assert (current["input_tokens"], current["cache_read_tokens"], current["output_tokens"]) == (
        2105,
        1536,
        210,
    )
    assert (current["team_id"], current["product_id"]) == ("team-support", "support-bot")
    deprecated = rows["0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331"]
    assert (
        deprecated["model_canonical"],
        deprecated["input_tokens"],
        deprecated["output_tokens"],
    ) == ("gpt-4o", 800, 95)
    assert deprecated["cost_usd"] == per_million((800, "2.50"), (95, "10.00"))
    rate_limited = rows["5b8efff798038103d269b633813fc60c:aa19b7ec3c1b1742"]
    assert (rate_limited["status_code"], rate_limited["cost_type"], rate_limited["cost_usd"]) == (
        429,
        "failed",
        0,
    )


def test_bedrock_cache_counts_join_the_input_and_ids_map_to_models(sources: Warehouse) -> None:
    rows = ledger(sources)
    haiku = rows["6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b"]
    assert (haiku["model_canonical"], haiku["input_tokens"], haiku["cache_read_tokens"]) == (
        "claude-haiku-4.5",
        4908,
        4096,
    )
    assert haiku["cost_usd"] == per_million((812, "1.00"), (4096, "0.10"), (144, "5.00"))
    assert (haiku["team_id"], haiku["attribution_method"]) == ("team-search", "tag")
    embedding = rows["9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"]
    assert (embedding["model_canonical"], embedding["output_tokens"]) == ("titan-embed-text-v2", 0)
    assert embedding["cost_usd"] == per_million((5120, "0.02"))


def test_provider_usage_matches_the_ledger_key_by_key_before_the_invoice(
    sources: Warehouse,
) -> None:
    rows = sources.query(
        "select usage_date, provider, model_canonical, api_key_id, status, "
        "provider_uncached_input_tokens, ledger_uncached_input_tokens, "
        "provider_cache_read_tokens, ledger_cache_read_tokens, provider_output_tokens, "
        "ledger_output_tokens, provider_requests, ledger_requests "
        "from marts.fct_usage_reconciliation "
        "where usage_date = date '2026-05-14' and provider = 'openai'"
    )
    by_key = {row[3]: row for row in rows}
    support = by_key["support-bot-prod"]
    assert support[4] == "matched"
    assert support[5:13] == (1569, 1569, 1536, 1536, 310, 310, 2, 2)
    # The OpenTelemetry spans carry no key: the provider never reported them under one.
    assert by_key["no key"][4] == "only_in_ledger"
    # Anthropic reports uncached input apart from cache reads and writes; the 1 May page of
    # the format example has no ledger calls at all.
    anthropic = sources.query(
        "select provider_uncached_input_tokens, provider_cache_read_tokens, "
        "provider_cache_write_tokens, status from marts.fct_usage_reconciliation "
        "where provider = 'anthropic' and usage_date = date '2026-05-01'"
    )
    assert anthropic == [(1250000, 2900000, 340000, "only_in_provider_usage")]


def test_cost_exports_stand_in_for_a_missing_invoice(sources: Warehouse) -> None:
    rows = sources.query(
        "select provider, source_system, invoice_amount from marts.fct_invoice_reconciliation "
        "where billing_period_start = date '2026-05-01' and has_invoice order by provider"
    )
    # Anthropic's amounts are cents in decimal strings (375 + 87 cents); OpenAI's are dollars.
    assert rows == [
        ("anthropic", "anthropic_cost_export", Decimal("4.62")),
        ("openai", "openai_cost_export", Decimal("8.2792")),
    ]
