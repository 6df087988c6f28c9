"""Request logs as the gateways and vendors write them, dropped in without conversion.

Examples written from each system's public documentation and code, in the shapes they are
delivered in: LiteLLM spend-log rows as its proxy's success and failure hooks fill them
(team id a UUID, the readable team in the key's metadata, a fresh session id per call, one row
for a call that succeeded on its second attempt), exported as a pretty-printed JSON array and
as gzipped JSON Lines; OpenTelemetry GenAI spans as the official instrumentation writes them
(`error.type` the exception's class) through the Collector's file exporter (`.json`, one batch
per line); Bedrock invocation logs as delivered to S3 (`.json.gz`, a record per line) with
the caller's `requestMetadata`. One build; each call is checked field by field.
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from typing import Any

import pytest

from harness import (
    SMALL_LANDING_VARIABLES,
    Warehouse,
    build,
    isolated_price_seeds,
    project_copy,
)

PRICES = {  # harness.Prices: input, cache read, cache write (5 minutes, 1 hour), output
    ("openai", "gpt-4o-mini"): ("0.15", "0.075", "", "", "0.60"),
    ("anthropic", "claude-sonnet-4.5"): ("3.00", "0.30", "", "", "15.00"),
    ("aws_bedrock", "claude-haiku-4.5"): ("1.00", "0.10", "", "", "5.00"),
}
RISK_TEAM_UUID = "4c1d7a52-8e0f-4b9e-a3d2-6f5e4c3b2a19"
SEEDS = {
    "teams": "team_id,team_name,department,cost_center,budget_owner\n"
    "support,Support,Ops,CC-4100,o\nrisk,Risk,Finance,CC-3300,o\nsearch,Search,Product,CC-5100,o",
    "team_aliases": f"alias,team_id\nCustomer Support,support\n{RISK_TEAM_UUID},risk",
    "products": "product_id,product_name,owner_team_id,lifecycle\n"
    "helpdesk,Helpdesk,support,production\ndoc_check,Doc check,risk,production\n"
    "catalogue,Catalogue,search,production",
    "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
    "helpdesk,reply,Reply,conversation,unit_id\ndoc_check,check,Check,document,request\n"
    "catalogue,rewrite,Rewrite,query,request",
    "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,valid_from,valid_to\n"
    "helpdesk-prod,support,helpdesk,prod,false,2026-01-01,\n"
    "search-indexer,search,catalogue,prod,false,2026-01-01,",
    "model_aliases": "alias,provider,canonical_provider,canonical_model,valid_from,valid_to\n"
    "gpt-4o-mini-2024-07-18,openai,openai,gpt-4o-mini,2024-07-18,\n"
    "claude-sonnet-4-5-20250929,anthropic,anthropic,claude-sonnet-4.5,2025-09-29,\n"
    "anthropic.claude-haiku-4-5-20251001-v1,aws_bedrock,aws_bedrock,claude-haiku-4.5,2025-10-01,",
    **isolated_price_seeds(PRICES),
    "budgets": "period_month,team_id,amount,currency\n",
}
VARIABLES = {
    **SMALL_LANDING_VARIABLES,
    "chargeback__extra_tags": ["project"],
}
# Content every source below carries as its systems log it (LiteLLM's messages and response,
# Bedrock's request and response bodies, OpenTelemetry's gen_ai messages): none may be loaded.
PROMPT = "PROMPT-CANARY-Tell me the quarterly numbers"
RESPONSE = "RESPONSE-CANARY-Here they are"


def litellm_row(
    request_id: str,
    *,
    team_alias: str | None,
    team_id: str | None,
    key_alias: str,
    status: str = "success",
    attempted_retries: int = 0,
    spend_logs_metadata: dict[str, Any] | None = None,
    request_tags: list[str] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A LiteLLM_SpendLogs row as the proxy's logging hook writes it (LiteLLM 1.110.x): the
    key's team under team_id (a UUID) and metadata.user_api_key_team_alias, a trace id as
    session_id, the usage extras under additional_usage_values."""
    failed = status == "failure"
    return {
        "request_id": request_id,
        "call_type": "acompletion",
        "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
        "cache_hit": "False",
        "startTime": "2026-10-06T08:30:00.000000+00:00",
        "endTime": "2026-10-06T08:30:02.000000+00:00",
        "completionStartTime": "2026-10-06T08:30:01.000000+00:00",
        "model": "gpt-4o-mini-2024-07-18",
        "user": "",
        "team_id": team_id,
        "organization_id": "",
        "metadata": {
            "user_api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
            "user_api_key_alias": key_alias,
            "user_api_key_team_id": team_id,
            "user_api_key_org_id": None,
            "user_api_key_user_id": "default_user_id",
            "user_api_key_team_alias": team_alias,
            "spend_logs_metadata": spend_logs_metadata,
            "requester_ip_address": "",
            "additional_usage_values": {
                "completion_tokens_details": None,
                "prompt_tokens_details": {"audio_tokens": None, "cached_tokens": 0},
            },
            "applied_guardrails": [],
            "status": status,
            "error_information": error,
            "attempted_retries": attempted_retries,
            "model_map_information": {"model_map_key": "gpt-4o-mini", "model_map_value": None},
        },
        "cache_key": "Cache OFF",
        "spend": 0.0 if failed else 0.000195,
        "total_tokens": 0 if failed else 1150,
        "prompt_tokens": 0 if failed else 1000,
        "completion_tokens": 0 if failed else 150,
        "request_tags": json.dumps(request_tags or []),
        "end_user": "",
        "api_base": "https://api.openai.com/v1",
        "model_group": "gpt-4o-mini",
        "model_id": "d1e5a1f0c3b2",
        "mcp_namespaced_tool_name": None,
        "agent_id": None,
        "requester_ip_address": None,
        "custom_llm_provider": "openai",
        "messages": json.dumps([{"role": "user", "content": PROMPT}]),
        "response": json.dumps({"choices": [{"message": {"content": RESPONSE}}]}),
        "proxy_server_request": "{}",
        # a fresh trace id per call: the caller sent no session
        "session_id": f"5d1b0e4a-{request_id[-4:]}-4c8e-9f00-1a2b3c4d5e6f",
        "status": status,
    }


LITELLM_ARRAY = [
    # the key's team, by alias; no caller tags: the alias owns the call through team_aliases
    litellm_row("chatcmpl-Aa01", team_alias="Customer Support", team_id=None, key_alias="sk-...x1"),
    # by team id only (an older proxy wrote no alias); a caller's cost centre in the metadata
    litellm_row(
        "chatcmpl-Aa02",
        team_alias=None,
        team_id=RISK_TEAM_UUID,
        key_alias="sk-...x2",
        spend_logs_metadata={"costCenter": "CC-3300", "project": "kyc-2026"},
    ),
    # a shared key of team support, the caller tags another team: the tag wins, a conflict
    litellm_row(
        "chatcmpl-Aa03",
        team_alias="Customer Support",
        team_id="b0c5d9e1-0000-4000-8000-000000000003",
        key_alias="sk-...x3",
        request_tags=["team:risk", "product:doc_check", "env:prod", "scenario:check"],
    ),
]
LITELLM_LINES = [
    # succeeded on its second attempt: LiteLLM wrote no row for the first
    litellm_row(
        "chatcmpl-Bb01",
        team_alias="Customer Support",
        team_id=None,
        key_alias="helpdesk-prod",
        attempted_retries=1,
        spend_logs_metadata={"scenario": "reply", "conversation_id": "conv-7"},
    ),
    # the failure hook: rate limited after two retries
    litellm_row(
        "litellm-call-5e2f",
        team_alias="Customer Support",
        team_id=None,
        key_alias="helpdesk-prod",
        status="failure",
        attempted_retries=2,
        error={"error_code": "429", "error_class": "RateLimitError", "llm_provider": "openai"},
    ),
]


def otel_span(span_id: str, attributes: dict[str, Any], status: dict[str, Any]) -> dict[str, Any]:
    return {
        "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
        "spanId": span_id,
        "parentSpanId": "",
        "name": "chat claude-sonnet-4-5",
        "kind": 3,
        "startTimeUnixNano": "1791275400000000000",  # 2026-10-06 08:30 UTC
        "endTimeUnixNano": "1791275401000000000",
        "attributes": [
            {
                "key": key,
                "value": {"intValue": str(value)}
                if isinstance(value, int)
                else {"stringValue": value},
            }
            for key, value in attributes.items()
        ],
        "status": status,
    }


OTEL_BATCH = {
    "resourceSpans": [
        {
            "resource": {
                "attributes": [
                    {"key": "service.name", "value": {"stringValue": "helpdesk"}},
                    {"key": "deployment.environment.name", "value": {"stringValue": "prod"}},
                    {"key": "team", "value": {"stringValue": "support"}},
                    {"key": "costCenter", "value": {"stringValue": "CC-4100"}},
                    {"key": "project", "value": {"stringValue": "tier-1"}},
                ]
            },
            "scopeSpans": [
                {
                    "scope": {"name": "opentelemetry.instrumentation.anthropic", "version": "0.1"},
                    "spans": [
                        otel_span(
                            "00f067aa0ba902b7",
                            {
                                "gen_ai.operation.name": "chat",
                                "gen_ai.provider.name": "anthropic",
                                "gen_ai.request.model": "claude-sonnet-4-5",
                                "gen_ai.response.model": "claude-sonnet-4-5-20250929",
                                "gen_ai.response.id": "msg_01XFDUDYJgAACzvnptvVoYEL",
                                "gen_ai.usage.input_tokens": 2000,
                                "gen_ai.usage.output_tokens": 300,
                                "gen_ai.input.messages": json.dumps(
                                    [{"role": "user", "parts": [{"content": PROMPT}]}]
                                ),
                                "gen_ai.output.messages": json.dumps(
                                    [{"role": "assistant", "parts": [{"content": RESPONSE}]}]
                                ),
                                "scenario": "reply",
                            },
                            {},
                        ),
                        otel_span(
                            "00f067aa0ba902b8",
                            {
                                "gen_ai.operation.name": "chat",
                                "gen_ai.provider.name": "anthropic",
                                "gen_ai.request.model": "claude-sonnet-4-5",
                                "error.type": "anthropic.RateLimitError",
                            },
                            {"code": 2, "message": "rate_limit_error"},
                        ),
                        otel_span(
                            "00f067aa0ba902b9",
                            {
                                "gen_ai.operation.name": "chat",
                                "gen_ai.provider.name": "anthropic",
                                "gen_ai.request.model": "claude-sonnet-4-5",
                                "error.type": "timeout",
                            },
                            {"code": 2},
                        ),
                    ],
                }
            ],
        }
    ]
}


OTEL_PRETTY = {
    "resourceSpans": [
        {
            "resource": {
                "attributes": [
                    {"key": "service.name", "value": {"stringValue": "catalogue"}},
                    {"key": "team", "value": {"stringValue": "search"}},
                ]
            },
            "scopeSpans": [
                {
                    "scope": {"name": "opentelemetry.instrumentation.openai_v2"},
                    "spans": [
                        otel_span(
                            "00f067aa0ba902c1",
                            {
                                "gen_ai.operation.name": "chat",
                                "gen_ai.system": "openai",
                                "gen_ai.request.model": "gpt-4o-mini",
                                "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
                                "gen_ai.response.id": "chatcmpl-pretty-1",
                                "gen_ai.usage.input_tokens": 400,
                                "gen_ai.usage.output_tokens": 40,
                                "scenario": "rewrite",
                            },
                            {},
                        )
                    ],
                }
            ],
        }
    ]
}


def bedrock_record(request_id: str, **fields: Any) -> dict[str, Any]:
    record = {
        "schemaType": "ModelInvocationLog",
        "schemaVersion": "1.0",
        "timestamp": "2026-10-06T08:30:00Z",
        "accountId": "111122223333",
        "identity": {"arn": "arn:aws:sts::111122223333:assumed-role/search-indexer/i-0abc"},
        "region": "eu-central-1",
        "requestId": request_id,
        "operation": "Converse",
        "modelId": "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        "input": {
            "inputContentType": "application/json",
            "inputTokenCount": 500,
            "inputBodyJson": {"messages": [{"role": "user", "content": [{"text": PROMPT}]}]},
        },
        "output": {
            "outputContentType": "application/json",
            "outputTokenCount": 50,
            "outputBodyJson": {"output": {"message": {"content": [{"text": RESPONSE}]}}},
        },
        "requestMetadata": {"product": "catalogue", "CostCenter": "CC-5100", "project": "q4"},
    }
    record.update(fields)
    return record


BEDROCK_RECORDS = [
    bedrock_record("0d9c6a7e-1111-4f00-8000-000000000001"),
    bedrock_record(
        "0d9c6a7e-1111-4f00-8000-000000000002",
        errorCode="ThrottlingException",
        input={"inputContentType": "application/json", "inputTokenCount": 0},
        output={"outputContentType": "application/json", "outputTokenCount": 0},
    ),
]


@pytest.fixture(scope="module")
def vendors(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("vendor_logs"), seeds=SEEDS)
    landing = warehouse.landing
    for folder in ("litellm_spend_logs", "otel_spans", "bedrock_invocation_logs/2026/10/06/08"):
        (landing / folder).mkdir(parents=True)
    (landing / "litellm_spend_logs" / "spend_logs_export.json").write_text(
        json.dumps(LITELLM_ARRAY, indent=2)
    )
    # as the logging hook hands rows over, before the database write: metadata is JSON text
    hook_payloads = [{**row, "metadata": json.dumps(row["metadata"])} for row in LITELLM_LINES]
    (landing / "litellm_spend_logs" / "spend_logs.jsonl.gz").write_bytes(
        gzip.compress("".join(json.dumps(row) + "\n" for row in hook_payloads).encode())
    )
    (landing / "otel_spans" / "traces.json").write_text(json.dumps(OTEL_BATCH) + "\n")
    # one export batch saved as a pretty-printed document
    (landing / "otel_spans" / "batch_pretty.json").write_text(json.dumps(OTEL_PRETTY, indent=2))
    (
        landing / "bedrock_invocation_logs" / "2026/10/06/08" / "20261006T0830Z_4f2a.json.gz"
    ).write_bytes(
        gzip.compress("".join(json.dumps(record) + "\n" for record in BEDROCK_RECORDS).encode())
    )
    build(warehouse, variables=VARIABLES)
    return warehouse


COLUMNS = (
    "team_id", "attribution_method", "has_attribution_conflict", "gateway_team", "product_id",
    "cost_type", "status_code", "attempt_number", "unlogged_failed_attempts", "unit_id",
    "cost_center", "cost_center_tag", "cost_center_tag_status", "caller_tags",
)  # fmt: skip


def ledger(warehouse: Warehouse) -> dict[str, dict[str, Any]]:
    rows = warehouse.query(
        f"select request_id, cost_usd, {', '.join(COLUMNS)} from marts.fct_request_costs"
    )
    return {
        row[0]: {"cost_usd": row[1], **dict(zip(COLUMNS, row[2:], strict=True))} for row in rows
    }


def test_every_call_of_every_file_is_in_the_ledger_once(vendors: Warehouse) -> None:
    rows = ledger(vendors)
    spans = 3 + 1  # three in the file exporter's line, one in the pretty-printed batch
    assert len(rows) == len(LITELLM_ARRAY) + len(LITELLM_LINES) + spans + len(BEDROCK_RECORDS)
    statuses = vendors.query("select distinct file_status from marts.fct_landed_files")
    assert statuses == [("read",)]
    assert vendors.scalar("select count(*) from marts.fct_quarantined_records") == 0


def test_litellm_team_comes_from_the_alias_or_the_team_id_through_team_aliases(
    vendors: Warehouse,
) -> None:
    rows = ledger(vendors)
    by_alias = rows["chatcmpl-Aa01"]
    assert (by_alias["team_id"], by_alias["attribution_method"], by_alias["gateway_team"]) == (
        "support",
        "key",
        "Customer Support",
    )
    by_id = rows["chatcmpl-Aa02"]
    assert (by_id["team_id"], by_id["attribution_method"]) == ("risk", "key")
    assert (by_id["cost_center_tag"], by_id["cost_center_tag_status"]) == ("CC-3300", "valid")
    assert json.loads(by_id["caller_tags"]) == {"project": "kyc-2026"}


def test_a_request_tag_naming_another_team_wins_and_is_flagged(vendors: Warehouse) -> None:
    tagged = ledger(vendors)["chatcmpl-Aa03"]
    assert (
        tagged["team_id"],
        tagged["attribution_method"],
        tagged["has_attribution_conflict"],
        tagged["product_id"],
    ) == ("risk", "tag", True, "doc_check")


def test_generated_session_ids_are_never_units_of_work(vendors: Warehouse) -> None:
    rows = ledger(vendors)
    assert rows["chatcmpl-Aa01"]["unit_id"] is None  # a fresh session id per call
    assert rows["chatcmpl-Bb01"]["unit_id"] == "conv-7"  # the caller's conversation


def test_a_success_after_unlogged_retries_is_usage_and_the_retries_are_counted(
    vendors: Warehouse,
) -> None:
    rows = ledger(vendors)
    second_attempt = rows["chatcmpl-Bb01"]
    assert (
        second_attempt["cost_type"],
        second_attempt["attempt_number"],
        second_attempt["unlogged_failed_attempts"],
    ) == ("usage", 2, 1)
    assert second_attempt["cost_usd"] == (
        Decimal(1000) * Decimal("0.15") + Decimal(150) * Decimal("0.60")
    ) / Decimal(1_000_000)
    failure = rows["litellm-call-5e2f"]
    assert (failure["cost_type"], failure["status_code"], failure["unlogged_failed_attempts"]) == (
        "failed",
        429,
        2,
    )


def test_a_pretty_printed_otel_batch_is_read_as_one_document(vendors: Warehouse) -> None:
    pretty = ledger(vendors)["4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902c1"]
    assert (pretty["team_id"], pretty["product_id"], pretty["cost_type"]) == (
        "search",
        "catalogue",
        "usage",
    )
    assert pretty["cost_usd"] == (
        Decimal(400) * Decimal("0.15") + Decimal(40) * Decimal("0.60")
    ) / Decimal(1_000_000)


def test_otel_error_classes_are_the_statuses_they_stand_for(vendors: Warehouse) -> None:
    rows = ledger(vendors)
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    assert rows[f"{trace}:00f067aa0ba902b8"]["status_code"] == 429  # anthropic.RateLimitError
    assert rows[f"{trace}:00f067aa0ba902b9"]["status_code"] == 408  # timeout
    served = rows[f"{trace}:00f067aa0ba902b7"]
    assert (served["team_id"], served["cost_type"], served["cost_center_tag"]) == (
        "support",
        "usage",
        "CC-4100",
    )
    assert json.loads(served["caller_tags"]) == {"project": "tier-1"}


def test_bedrock_request_metadata_and_error_codes(vendors: Warehouse) -> None:
    rows = ledger(vendors)
    served = rows["0d9c6a7e-1111-4f00-8000-000000000001"]
    assert (served["team_id"], served["product_id"], served["cost_center_tag_status"]) == (
        "search",
        "catalogue",
        "valid",
    )
    assert json.loads(served["caller_tags"]) == {"project": "q4"}
    throttled = rows["0d9c6a7e-1111-4f00-8000-000000000002"]
    assert (throttled["status_code"], throttled["cost_type"]) == (429, "failed")


def test_tag_completeness_counts_cost_centres_and_extra_tags(vendors: Warehouse) -> None:
    rows = vendors.query(
        "select sum(requests), sum(requests * cost_center_tag_request_share),"
        " sum(requests * extra_tags_request_share) from marts.fct_tag_completeness"
    )
    requests, with_cost_center, with_extra = rows[0]
    assert requests == 11
    # Aa02, the three spans of the helpdesk and the two Bedrock calls carry a valid cost
    # centre and a project
    assert (round(with_cost_center), round(with_extra)) == (6, 6)


def test_prompt_and_response_content_is_never_loaded(vendors: Warehouse) -> None:
    # what the landing relations expose is all any model can see; the marts are what is kept
    schemas = ["landing", "marts"]
    assert sum(len(names) for names in vendors.text_columns(schemas).values()) > 50
    holding = vendors.text_columns_holding(schemas, "PROMPT-CANARY", "RESPONSE-CANARY")
    assert holding == [], f"{holding} hold prompt or response content"
