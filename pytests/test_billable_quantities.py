"""Everything billable is a quantity with a price: audio and image tokens, tool calls, fees.

Calls written from the vendors' public documentation, each in the usage shape its API
returns, as the gateways log them: an OpenAI chat completion with audio in and out
(gpt-4o-audio-preview: `prompt_tokens_details.audio_tokens`,
`completion_tokens_details.audio_tokens`), the same on a model the price table has no audio
price for, an image generation (gpt-image-1's Images API usage: `input_tokens_details` with
text and image tokens), a Responses API call that ran the code interpreter and file search,
Perplexity's fee per request, and Anthropic Messages with `server_tool_use.web_search_requests`,
as the canonical gateway log carries them and as LiteLLM logs them in its spend logs
(`metadata.additional_usage_values`). Two Parquet gateway files: one written before the
optional fields existed (it has none of their columns), one with `web_search_calls`. Beside
them the providers' side of the same day: an OpenAI usage page (completions and web searches,
grouped by model), an OpenAI costs page grouped by line item (audio and text lines, web search,
file search and code interpreter lines without a model), an Anthropic usage report and an
Anthropic invoice with a web search line. One landing set, one build.

The expected costs are computed here from the prices given to the seed (PRICES), never read
from the build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chargeback.focus.export import export_periods
from chargeback.focus.validate import Validator, validate_file
from harness import (
    INVOICE_HEADER,
    NO_MATCH_RULES,
    PRICE_HEADER,
    SMALL_LANDING_VARIABLES,
    Warehouse,
    build,
    project_copy,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = ROOT / ".venv-focus" / "bin" / "focus-validator"
DAY = "2026-10-14"
MILLION, THOUSAND = Decimal(1_000_000), Decimal(1_000)
NEW_PRICE_COLUMNS = [
    "input_audio_per_mtok", "cache_audio_read_per_mtok", "output_audio_per_mtok",
    "input_image_per_mtok", "cache_image_read_per_mtok", "output_image_per_mtok",
    "web_searches_per_k", "file_searches_per_k", "code_executions_per_k", "requests_per_k",
]  # fmt: skip


# The seed's prices (USD; per million tokens, per thousand calls or requests), from the
# vendors' price lists. gpt-4o-mini-audio-preview is given no audio price, code execution no
# price anywhere: those quantities must stay unpriced, never priced as text.
@dataclass(frozen=True)
class Price:
    input: str
    output: str
    cache_read: str = ""
    cache_write: str = ""
    input_audio: str = ""
    output_audio: str = ""
    input_image: str = ""
    cache_image_read: str = ""
    web_searches: str = ""
    file_searches: str = ""
    requests: str = ""

    def row(self, provider: str, model: str) -> str:
        text = [self.input, self.cache_read, self.cache_write, "", self.output]
        new = [self.input_audio, "", self.output_audio, self.input_image, self.cache_image_read]
        new += ["", self.web_searches, self.file_searches, "", self.requests]
        head = [provider, model, "standard", "0", "2025-01-01", "", "USD"]
        return ",".join([*head, *text, "test prices", "test==1", "", *new])


PRICES = {
    ("openai", "gpt-4o-audio-preview"): Price("2.50", "10.00", input_audio="40", output_audio="80"),
    ("openai", "gpt-4o-mini-audio-preview"): Price("0.15", "0.60"),
    ("openai", "gpt-image-1"): Price(
        "5.00", "40.00", cache_read="1.25", input_image="10.00", cache_image_read="2.50"
    ),
    ("openai", "gpt-4.1"): Price(
        "2.00", "8.00", cache_read="0.50", web_searches="10", file_searches="2.50"
    ),
    ("openai", "gpt-4o-mini"): Price("0.15", "0.60", cache_read="0.075"),
    ("anthropic", "claude-sonnet-4.5"): Price(
        "3.00", "15.00", cache_read="0.30", cache_write="3.75", web_searches="10"
    ),
    ("perplexity", "sonar"): Price("1.00", "1.00", requests="5"),
}
# OpenAI's list prices for what the seed leaves unpriced: the cost page bills them
MINI_AUDIO_IN, MINI_AUDIO_OUT, CODE_INTERPRETER_SESSION = "10", "20", "0.03"
ANTHROPIC_DISCOUNT = Decimal("0.10")  # a contract: 10% off every Anthropic call
SEEDS = {
    "teams": "team_id,team_name,department,cost_center,budget_owner\nmedia,Media,Product,CC-7000,o",
    "products": "product_id,product_name,owner_team_id,lifecycle\nstudio,Studio,media,production",
    "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
    "studio,make,Make,request,request",
    "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,valid_from,valid_to\n"
    "studio-prod,media,studio,prod,false,2026-01-01,",
    "model_aliases": "alias,provider,canonical_provider,canonical_model,valid_from,valid_to\n"
    "gpt-4o-audio-preview-2024-12-17,openai,openai,gpt-4o-audio-preview,2024-12-17,\n"
    "gpt-4o-mini-audio-preview-2024-12-17,openai,openai,gpt-4o-mini-audio-preview,2024-12-17,\n"
    "gpt-4.1-2025-04-14,openai,openai,gpt-4.1,2025-04-14,\n"
    "claude-sonnet-4-5-20250929,anthropic,anthropic,claude-sonnet-4.5,2025-09-29,",
    "model_prices": f"{PRICE_HEADER},{','.join(NEW_PRICE_COLUMNS)}\n"
    + "\n".join(price.row(provider, model) for (provider, model), price in PRICES.items()),
    "model_match_rules": NO_MATCH_RULES,
    "contract_prices": "provider,model,valid_from,valid_to,input_per_mtok,cache_read_per_mtok,"
    "cache_write_per_mtok,cache_write_1h_per_mtok,output_per_mtok,discount_pct,contract_reference\n"
    f"anthropic,,2026-01-01,,,,,,,{ANTHROPIC_DISCOUNT * 100},Anthropic 10% off",
    "provider_accounts": "provider,account_type,account_id,api_key_id,team_id\n",
    "closed_periods": "period_month,closed_at\n",
    "fx_rates": "rate_date,from_currency,to_currency,rate,source\n",
    "budgets": "period_month,team_id,amount,currency\n",
    "focus_providers": (ROOT / "seeds" / "focus_providers.csv").read_text().strip()
    + "\nperplexity,Perplexity,Perplexity,Perplexity API",
    "focus_publishers": (ROOT / "seeds" / "focus_publishers.csv").read_text().strip()
    + "\nperplexity,,Perplexity",
}


# ---------------------------------------------------------------- the calls, as documented


@dataclass
class Call:
    """A call as the ledger should count it, and what it should cost at the seed's prices."""

    request_id: str
    provider: str
    model: str  # the canonical model (its price row)
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int = 0
    input_audio_tokens: int = 0
    output_audio_tokens: int = 0
    input_image_tokens: int = 0
    web_search_calls: int = 0
    file_search_calls: int = 0
    code_execution_sessions: int = 0
    unpriced: list[str] = field(default_factory=list)

    @property
    def price(self) -> Price:
        return PRICES[(self.provider, self.model)]

    def parts(self) -> dict[str, Decimal]:
        """List cost by part: text tokens, audio and image tokens, tool calls, request fee."""
        p = self.price

        def per(count: int, rate: str, unit: Decimal = MILLION) -> Decimal:
            return Decimal(count) * Decimal(rate or 0) / unit

        text_in = self.input_tokens - self.cache_read_tokens - self.input_audio_tokens
        text_in -= self.input_image_tokens
        text_out = self.output_tokens - self.output_audio_tokens
        return {
            "text": per(text_in, p.input)
            + per(self.cache_read_tokens, p.cache_read or p.input)
            + per(text_out, p.output),
            "audio_image": per(self.input_audio_tokens, p.input_audio)
            + per(self.output_audio_tokens, p.output_audio)
            + per(self.input_image_tokens, p.input_image),
            "tools": per(self.web_search_calls, p.web_searches, THOUSAND)
            + per(self.file_search_calls, p.file_searches, THOUSAND),
            "fee": per(1, p.requests, THOUSAND),
        }

    def list_cost(self) -> Decimal:
        return sum(self.parts().values(), Decimal(0))

    def discount(self) -> Decimal:
        return ANTHROPIC_DISCOUNT if self.provider == "anthropic" else Decimal(0)


def gateway_record(call_id: str, provider: str, model: str, **fields: Any) -> dict[str, Any]:
    return {
        "request_id": call_id,
        "provider_response_id": call_id,
        "occurred_at": f"{DAY}T10:00:00Z",
        "provider": provider,
        "model": model,
        "api_key_id": "studio-prod",
        "status_code": 200,
        "attempt_number": 1,
        "environment": "prod",
        "scenario": "make",
        **fields,
    }


def from_openai_chat(call_id: str, model: str, usage: dict[str, Any]) -> dict[str, Any]:
    """What a gateway writes from a Chat Completions usage object: prompt_tokens counts all
    input (audio included), completion_tokens all output."""
    prompt, completion = usage["prompt_tokens_details"], usage["completion_tokens_details"]
    return gateway_record(
        call_id,
        "openai",
        model,
        input_tokens=usage["prompt_tokens"],
        cache_read_tokens=prompt["cached_tokens"],
        input_audio_tokens=prompt["audio_tokens"],
        output_tokens=usage["completion_tokens"],
        output_audio_tokens=completion["audio_tokens"],
        reasoning_tokens=completion["reasoning_tokens"],
    )


def from_openai_images(call_id: str, model: str, usage: dict[str, Any]) -> dict[str, Any]:
    """From an Images API usage object: input_tokens is text and image input together."""
    return gateway_record(
        call_id,
        "openai",
        model,
        input_tokens=usage["input_tokens"],
        input_image_tokens=usage["input_tokens_details"]["image_tokens"],
        output_tokens=usage["output_tokens"],
    )


def from_openai_response(call_id: str, model: str, response: dict[str, Any]) -> dict[str, Any]:
    """From a Responses API response: the tool calls the provider ran are output items."""
    kinds = [item["type"] for item in response["output"]]
    usage = response["usage"]
    return gateway_record(
        call_id,
        "openai",
        model,
        input_tokens=usage["input_tokens"],
        cache_read_tokens=usage["input_tokens_details"]["cached_tokens"],
        output_tokens=usage["output_tokens"],
        reasoning_tokens=usage["output_tokens_details"]["reasoning_tokens"],
        file_search_calls=kinds.count("file_search_call"),
        code_execution_sessions=len(
            {item["container_id"] for item in response["output"] if "container_id" in item}
        ),
    )


def from_anthropic_message(call_id: str, model: str, usage: dict[str, Any]) -> dict[str, Any]:
    """From a Messages usage object: input_tokens excludes the cache reads and writes, which
    the landing contract's input_tokens includes."""
    cache_read, cache_write = usage["cache_read_input_tokens"], usage["cache_creation_input_tokens"]
    return gateway_record(
        call_id,
        "anthropic",
        model,
        input_tokens=usage["input_tokens"] + cache_read + cache_write,
        cache_read_tokens=cache_read,
        cache_write_tokens=cache_write,
        output_tokens=usage["output_tokens"],
        web_search_calls=usage["server_tool_use"]["web_search_requests"],
    )


GATEWAY_RECORDS = [
    from_openai_chat(
        "chatcmpl-audio-1",
        "gpt-4o-audio-preview-2024-12-17",
        {
            "prompt_tokens": 24_000,
            "completion_tokens": 11_000,
            "total_tokens": 35_000,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 20_000},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 10_000,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
    ),
    from_openai_chat(
        "chatcmpl-mini-audio",
        "gpt-4o-mini-audio-preview-2024-12-17",
        {
            "prompt_tokens": 210_000,
            "completion_tokens": 90_000,
            "total_tokens": 300_000,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 10_000},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 40_000,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
    ),
    from_openai_images(
        "img-gen-1",
        "gpt-image-1",
        {
            "total_tokens": 7_160,
            "input_tokens": 3_000,
            "output_tokens": 4_160,
            "input_tokens_details": {"text_tokens": 1_000, "image_tokens": 2_000},
        },
    ),
    from_openai_response(
        "resp-tools-1",
        "gpt-4.1-2025-04-14",
        {
            "id": "resp-tools-1",
            "object": "response",
            "output": [
                {"type": "file_search_call", "id": "fs_1", "status": "completed"},
                {"type": "file_search_call", "id": "fs_2", "status": "completed"},
                {"type": "file_search_call", "id": "fs_3", "status": "completed"},
                {"type": "file_search_call", "id": "fs_4", "status": "completed"},
                {"type": "code_interpreter_call", "id": "ci_1", "container_id": "cntr_1"},
                {"type": "code_interpreter_call", "id": "ci_2", "container_id": "cntr_1"},
                {"type": "message", "id": "msg_1", "role": "assistant", "content": []},
            ],
            "usage": {
                "input_tokens": 5_000,
                "input_tokens_details": {"cached_tokens": 0},
                "output_tokens": 2_500,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": 7_500,
            },
        },
    ),
    gateway_record("pplx-1", "perplexity", "sonar", input_tokens=10_000, output_tokens=20_000),
    from_anthropic_message(
        "msg_search_1",
        "claude-sonnet-4-5-20250929",
        {
            "input_tokens": 100_000,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 100_000,
            "output_tokens": 20_000,
            "server_tool_use": {"web_search_requests": 2},
        },
    ),
]


def litellm_row(request_id: str, provider: str, model: str, **usage: Any) -> dict[str, Any]:
    """A LiteLLM_SpendLogs row: prompt_tokens counts all input (for Anthropic the cache reads
    too), the rest of the usage object under metadata.additional_usage_values."""
    return {
        "request_id": request_id,
        "call_type": "acompletion",
        "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
        "cache_hit": "False",
        "startTime": f"{DAY}T11:00:00.000000+00:00",
        "endTime": f"{DAY}T11:00:03.000000+00:00",
        "model": model,
        "model_group": model,
        "custom_llm_provider": provider,
        "user": "",
        "team_id": None,
        "metadata": {
            "user_api_key_alias": "studio-prod",
            "spend_logs_metadata": {"environment": "prod", "scenario": "make"},
            "additional_usage_values": usage.pop("extras"),
            "status": "success",
            "attempted_retries": 0,
        },
        "spend": 0.0,
        "status": "success",
        "request_tags": "[]",
        "messages": "{}",
        "response": "{}",
        "session_id": f"trace-{request_id}",
        **usage,
    }


LITELLM_ROWS = [
    litellm_row(
        "msg_search_2",
        "anthropic",
        "claude-sonnet-4-5-20250929",
        prompt_tokens=200_000,
        completion_tokens=10_000,
        total_tokens=210_000,
        extras={
            "cache_read_input_tokens": 100_000,
            "cache_creation_input_tokens": 0,
            "prompt_tokens_details": {"cached_tokens": 100_000, "audio_tokens": None},
            "completion_tokens_details": None,
            "server_tool_use": {"web_search_requests": 3},
        },
    ),
    litellm_row(
        "chatcmpl-audio-2",
        "openai",
        "gpt-4o-audio-preview-2024-12-17",
        prompt_tokens=14_000,
        completion_tokens=6_000,
        total_tokens=20_000,
        extras={
            "prompt_tokens_details": {
                "cached_tokens": 0,
                "audio_tokens": 10_000,
                "text_tokens": 4_000,
                "image_tokens": None,
            },
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 5_000,
                "text_tokens": 1_000,
            },
        },
    ),
]

# Parquet: a file written before the optional fields existed, and one with web_search_calls
OLD_PARQUET = [
    gateway_record("old-1", "openai", "gpt-4o-mini", input_tokens=100_000, output_tokens=10_000)
]
NEW_PARQUET = [
    gateway_record(
        "new-1",
        "openai",
        "gpt-4.1-2025-04-14",
        input_tokens=10_000,
        output_tokens=2_500,
        web_search_calls=4,
    )
]

CALLS = {
    call.request_id: call
    for call in [
        Call("chatcmpl-audio-1", "openai", "gpt-4o-audio-preview", 24_000, 11_000,
             input_audio_tokens=20_000, output_audio_tokens=10_000),
        Call("chatcmpl-audio-2", "openai", "gpt-4o-audio-preview", 14_000, 6_000,
             input_audio_tokens=10_000, output_audio_tokens=5_000),
        Call("chatcmpl-mini-audio", "openai", "gpt-4o-mini-audio-preview", 210_000, 90_000,
             input_audio_tokens=10_000, output_audio_tokens=40_000,
             unpriced=["audio input tokens", "audio output tokens"]),
        Call("img-gen-1", "openai", "gpt-image-1", 3_000, 4_160, input_image_tokens=2_000),
        Call("resp-tools-1", "openai", "gpt-4.1", 5_000, 2_500, file_search_calls=4,
             code_execution_sessions=1, unpriced=["code execution sessions"]),
        Call("new-1", "openai", "gpt-4.1", 10_000, 2_500, web_search_calls=4),
        Call("old-1", "openai", "gpt-4o-mini", 100_000, 10_000),
        Call("pplx-1", "perplexity", "sonar", 10_000, 20_000),
        Call("msg_search_1", "anthropic", "claude-sonnet-4.5", 200_000, 20_000,
             cache_read_tokens=100_000, web_search_calls=2),
        Call("msg_search_2", "anthropic", "claude-sonnet-4.5", 200_000, 10_000,
             cache_read_tokens=100_000, web_search_calls=3),
    ]
}  # fmt: skip


# ---------------------------------------------------------------- the providers' side


def epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def openai_page(results: list[dict[str, Any]]) -> dict[str, Any]:
    start = epoch(DAY)
    bucket = {"object": "bucket", "start_time": start, "end_time": start + 86_400}
    return {"object": "page", "data": [{**bucket, "results": results}], "has_more": False}


def completions(model: str, **counts: int) -> dict[str, Any]:
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": counts["input"],
        "input_cached_tokens": 0,
        "input_audio_tokens": counts.get("audio_in", 0),
        "output_tokens": counts["output"],
        "output_audio_tokens": counts.get("audio_out", 0),
        "num_model_requests": counts["requests"],
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "model": model,
        "batch": False,
    }


OPENAI_USAGE = openai_page(
    [
        completions(
            "gpt-4o-audio-preview-2024-12-17",
            input=38_000,
            audio_in=30_000,
            output=17_000,
            audio_out=15_000,
            requests=2,
        ),
        # 100 audio input tokens more than the gateway logged
        completions(
            "gpt-4o-mini-audio-preview-2024-12-17",
            input=210_100,
            audio_in=10_100,
            output=90_000,
            audio_out=40_000,
            requests=1,
        ),
        completions("gpt-4.1-2025-04-14", input=15_000, output=5_000, requests=2),
        completions("gpt-4o-mini", input=100_000, output=10_000, requests=1),
        # one search more than the gateway logged
        {
            "object": "organization.usage.web_searches.result",
            "num_requests": 5,
            "model": "gpt-4.1-2025-04-14",
            "project_id": None,
            "api_key_id": None,
        },
    ]
)


def cost(line_item: str, quantity: int, amount: Decimal) -> dict[str, Any]:
    return {
        "object": "organization.costs.result",
        "amount": {"value": float(amount), "currency": "usd"},
        "line_item": line_item,
        "project_id": None,
        "quantity": quantity,
    }


def billed(quantity: int, price: str, unit: Decimal = MILLION) -> Decimal:
    return Decimal(quantity) * Decimal(price) / unit


AUDIO, MINI_AUDIO, GPT41 = (
    "gpt-4o-audio-preview-2024-12-17",
    "gpt-4o-mini-audio-preview-2024-12-17",
    "gpt-4.1-2025-04-14",
)
OPENAI_COSTS = openai_page(
    [
        cost(f"{AUDIO}, input", 8_000, billed(8_000, "2.50")),
        cost(f"{AUDIO} audio, input", 30_000, billed(30_000, "40")),
        cost(f"{AUDIO}, output", 2_000, billed(2_000, "10")),
        cost(f"{AUDIO} audio, output", 15_000, billed(15_000, "80")),
        cost(f"{MINI_AUDIO}, input", 200_000, billed(200_000, "0.15")),
        cost(f"{MINI_AUDIO} audio, input", 10_000, billed(10_000, MINI_AUDIO_IN)),
        cost(f"{MINI_AUDIO}, output", 50_000, billed(50_000, "0.60")),
        cost(f"{MINI_AUDIO} audio, output", 40_000, billed(40_000, MINI_AUDIO_OUT)),
        cost(f"{GPT41}, input", 15_000, billed(15_000, "2.00")),
        cost(f"{GPT41}, output", 5_000, billed(5_000, "8.00")),
        cost("web search tool calls", 5, billed(5, "10", THOUSAND)),
        cost("file search tool calls", 4, billed(4, "2.50", THOUSAND)),
        cost("code interpreter sessions", 1, Decimal(CODE_INTERPRETER_SESSION)),
    ]
)
ANTHROPIC_USAGE = {
    "data": [
        {
            "starting_at": f"{DAY}T00:00:00Z",
            "ending_at": "2026-10-15T00:00:00Z",
            "results": [
                {
                    "uncached_input_tokens": 200_000,
                    "cache_creation": {
                        "ephemeral_1h_input_tokens": 0,
                        "ephemeral_5m_input_tokens": 0,
                    },
                    "cache_read_input_tokens": 200_000,
                    "output_tokens": 30_000,
                    "server_tool_use": {"web_search_requests": 5},
                    "api_key_id": None,
                    "workspace_id": None,
                    "model": "claude-sonnet-4-5-20250929",
                    "service_tier": None,
                    "context_window": None,
                }
            ],
        }
    ],
    "has_more": False,
    "next_page": None,
}
SONNET = "claude-sonnet-4-5-20250929"


def invoice_line(line_id: int, token_type: str, quantity: int, unit: str, amount: Decimal) -> tuple:
    period = ("INV-A-2610", "anthropic", "2026-10-01", "2026-11-01")
    description = f"Claude Sonnet 4.5 {token_type.replace('_', ' ')}"
    line = (line_id, description, SONNET, token_type, quantity, unit, amount)
    return (*period, *line, "USD", "usage")


ANTHROPIC_INVOICE = [
    invoice_line(1, "input", 200_000, "tokens", billed(200_000, "3")),
    invoice_line(2, "cache_read", 200_000, "tokens", billed(200_000, "0.3")),
    invoice_line(3, "output", 30_000, "tokens", billed(30_000, "15")),
    invoice_line(4, "web_search", 5, "calls", billed(5, "10", THOUSAND)),
]


def write_parquet(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = sorted({key for record in records for key in record})
    pq.write_table(pa.table({c: [r.get(c) for r in records] for c in columns}), path)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("billable"), seeds=SEEDS)
    landing = warehouse.landing

    def put(relative: str, document: Any) -> None:
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2))

    (landing / "gateway_requests").mkdir(parents=True)
    (landing / "gateway_requests" / f"{DAY}.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in GATEWAY_RECORDS)
    )
    write_parquet(landing / "gateway_requests" / "before_the_new_fields.parquet", OLD_PARQUET)
    write_parquet(landing / "gateway_requests" / "with_web_searches.parquet", NEW_PARQUET)
    put(f"litellm_spend_logs/{DAY}.json", LITELLM_ROWS)
    put(f"openai_usage/{DAY}_by_model.json", OPENAI_USAGE)
    put("openai_costs/pull_2026-10-15/costs_by_line_item.json", OPENAI_COSTS)
    put(f"anthropic_usage/{DAY}_by_model.json", ANTHROPIC_USAGE)
    write_csv(
        landing / "invoices" / "anthropic" / "anthropic_2026-10.csv",
        INVOICE_HEADER,
        ANTHROPIC_INVOICE,
    )
    build(warehouse, variables=SMALL_LANDING_VARIABLES, artifacts=True)
    return warehouse


# ---------------------------------------------------------------- the ledger

QUANTITIES = [
    "input_tokens", "cache_read_tokens", "output_tokens", "input_audio_tokens",
    "output_audio_tokens", "input_image_tokens", "web_search_calls", "file_search_calls",
    "code_execution_sessions",
]  # fmt: skip


def test_every_call_lands_once_with_its_quantities(studio: Warehouse) -> None:
    assert studio.scalar("select count(*) from marts.fct_quarantined_records") == 0
    assert studio.query("select file_status, count(*) from marts.fct_landed_files group by 1") == [
        ("read", 8)
    ]
    rows = studio.query(
        f"select request_id, model_canonical, {', '.join(QUANTITIES)}, cache_audio_read_tokens,"
        " cache_image_read_tokens, output_image_tokens from marts.fct_request_costs"
    )
    assert {row[0] for row in rows} == set(CALLS)
    for request_id, model, *counts in rows:
        call = CALLS[request_id]
        assert model == call.model
        expected = [getattr(call, name) for name in QUANTITIES] + [0, 0, 0]
        assert counts == expected, request_id


def test_each_quantity_is_priced_once_and_unpriced_ones_are_named(studio: Warehouse) -> None:
    rows = studio.query(
        "select request_id, is_priced, unpriced_reason, list_cost, contracted_cost,"
        " cost_price_currency, audio_image_token_cost, tool_call_cost, request_fee_cost"
        " from marts.fct_request_costs"
    )
    assert len(rows) == len(CALLS)
    for request_id, priced, reason, list_cost, contracted, cost, media, tools, fee in rows:
        call = CALLS[request_id]
        parts = call.parts()
        keep = 1 - call.discount()
        assert priced is True, request_id
        assert reason == (
            f"partly priced: no price for {', '.join(call.unpriced)}" if call.unpriced else None
        ), request_id
        assert list_cost == call.list_cost(), request_id
        assert contracted == cost == call.list_cost() * keep, request_id
        assert (media, tools, fee) == (
            parts["audio_image"] * keep,
            parts["tools"] * keep,
            parts["fee"] * keep,
        ), request_id


def test_the_chargeback_shows_what_was_bought(studio: Warehouse) -> None:
    ledger, text, media, tools, fee = studio.row(
        "select ledger_cost, text_token_cost, audio_image_token_cost, tool_call_cost,"
        " request_fee_cost from marts.fct_team_chargeback where team_id = 'media'"
    )

    def total(part: str) -> Decimal:
        return sum((c.parts()[part] * (1 - c.discount()) for c in CALLS.values()), Decimal(0))

    assert (text, media, tools, fee) == (
        total("text"),
        total("audio_image"),
        total("tools"),
        total("fee"),
    )
    assert ledger == text + media + tools + fee


# ---------------------------------------------------------------- the providers' side


def test_usage_pages_are_compared_with_the_ledgers_audio_and_searches(studio: Warehouse) -> None:
    columns = [
        "model_canonical", "status", "provider_uncached_input_tokens",
        "ledger_uncached_input_tokens", "provider_output_tokens", "ledger_output_tokens",
        "provider_input_audio_tokens", "ledger_input_audio_tokens",
        "provider_output_audio_tokens", "ledger_output_audio_tokens",
        "provider_web_search_calls", "ledger_web_search_calls", "web_search_calls_difference",
    ]  # fmt: skip
    rows = studio.query(
        f"select provider, {', '.join(columns)} from marts.fct_usage_reconciliation"
        " where comparison_grain = 'day_model'"
    )
    actual = {(row[0], row[1]): dict(zip(columns, row[1:], strict=True)) for row in rows}
    # the text part of each token count on both sides: what remains without its audio
    audio = actual[("openai", "gpt-4o-audio-preview")]
    assert audio["status"] == "matched"
    assert (audio["ledger_uncached_input_tokens"], audio["ledger_output_tokens"]) == (8_000, 2_000)
    assert (audio["ledger_input_audio_tokens"], audio["ledger_output_audio_tokens"]) == (
        30_000,
        15_000,
    )
    mini = actual[("openai", "gpt-4o-mini-audio-preview")]
    assert mini["status"] == "ledger_below_provider"
    assert mini["provider_uncached_input_tokens"] == mini["ledger_uncached_input_tokens"] == 200_000
    assert (mini["provider_input_audio_tokens"], mini["ledger_input_audio_tokens"]) == (
        10_100,
        10_000,
    )
    gpt41 = actual[("openai", "gpt-4.1")]
    assert gpt41["status"] == "matched"  # searches are compared beside the status
    assert (gpt41["provider_web_search_calls"], gpt41["ledger_web_search_calls"]) == (5, 4)
    assert gpt41["web_search_calls_difference"] == 1
    sonnet = actual[("anthropic", "claude-sonnet-4.5")]
    assert sonnet["status"] == "matched"
    assert (sonnet["provider_web_search_calls"], sonnet["ledger_web_search_calls"]) == (5, 5)
    # the image generation is not in the completions page (its usage endpoint counts images)
    assert actual[("openai", "gpt-image-1")]["status"] == "only_in_ledger"


def ledger_side(token_types: set[str], models: set[str]) -> tuple[int, int, Decimal]:
    """(priced, unpriced quantity, list amount) of the calls' lines of these types."""
    priced = unpriced = 0
    amount = Decimal(0)
    for call in CALLS.values():
        if call.model not in models:
            continue
        p = call.price
        lines = {
            "input_audio": (call.input_audio_tokens, p.input_audio, MILLION),
            "output_audio": (call.output_audio_tokens, p.output_audio, MILLION),
            "web_search": (call.web_search_calls, p.web_searches, THOUSAND),
            "file_search": (call.file_search_calls, p.file_searches, THOUSAND),
            "code_execution": (call.code_execution_sessions, "", THOUSAND),
        }
        for token_type in token_types:
            count, price, unit = lines[token_type]
            if price:
                priced += count
                amount += Decimal(count) * Decimal(price) / unit
            else:
                unpriced += count
    return priced, unpriced, amount


def test_invoice_lines_of_audio_and_tools_meet_the_ledger(studio: Warehouse) -> None:
    columns = [
        "invoice_quantity", "invoice_amount", "ledger_quantity", "unpriced_quantity",
        "ledger_amount", "explained_unpriced_usage", "explained_price_difference",
        "explained_volume_difference", "unexplained_amount", "quantity_unit",
        "is_ledger_token_type",
    ]  # fmt: skip
    rows = studio.query(
        f"select provider, model, token_type, {', '.join(columns)}"
        " from marts.fct_invoice_line_reconciliation"
    )
    actual = {row[:3]: dict(zip(columns, row[3:], strict=True)) for row in rows}
    openai_models = {m for (provider, m) in PRICES if provider == "openai"}
    audio, mini, sonnet = "gpt-4o-audio-preview", "gpt-4o-mini-audio-preview", "claude-sonnet-4.5"
    expectations = {
        # (provider, model, token type): (invoice quantity, amount, ledger models)
        ("openai", audio, "input_audio"): (30_000, billed(30_000, "40"), {audio}),
        ("openai", audio, "output_audio"): (15_000, billed(15_000, "80"), {audio}),
        ("openai", mini, "input_audio"): (10_000, billed(10_000, MINI_AUDIO_IN), {mini}),
        ("openai", mini, "output_audio"): (40_000, billed(40_000, MINI_AUDIO_OUT), {mini}),
        # billed without a model: compared with every model's calls
        ("openai", None, "web_search"): (5, billed(5, "10", THOUSAND), openai_models),
        ("openai", None, "file_search"): (4, billed(4, "2.50", THOUSAND), openai_models),
        ("openai", None, "code_execution"): (1, Decimal(CODE_INTERPRETER_SESSION), openai_models),
        ("anthropic", sonnet, "web_search"): (5, billed(5, "10", THOUSAND), {sonnet}),
    }
    for key, (quantity, amount, models) in expectations.items():
        row = actual[key]
        priced, unpriced, ledger_amount = ledger_side({key[2]}, models)
        unit_price = amount / quantity
        assert row["is_ledger_token_type"] is True, key
        assert (row["invoice_quantity"], row["invoice_amount"]) == (quantity, amount), key
        assert (row["ledger_quantity"], row["unpriced_quantity"]) == (priced, unpriced), key
        assert row["ledger_amount"] == ledger_amount, key
        assert row["explained_unpriced_usage"] == unit_price * unpriced, key
        assert row["explained_price_difference"] == unit_price * priced - ledger_amount, key
        assert row["explained_volume_difference"] == unit_price * (quantity - priced - unpriced)
        assert row["unexplained_amount"] == 0, key
    assert actual[("openai", None, "web_search")]["quantity_unit"] == "calls"
    assert actual[("openai", None, "code_execution")]["quantity_unit"] == "sessions"
    # the text part of the audio model's tokens is its own line, audio tokens not in it
    assert actual[("openai", "gpt-4o-audio-preview", "input")]["ledger_quantity"] == 8_000


def test_the_invoice_reconciliation_explains_the_unpriced_audio_and_sessions(
    studio: Warehouse,
) -> None:
    unpriced = studio.scalar(
        "select explained_unpriced_usage from marts.fct_invoice_reconciliation"
        " where provider = 'openai'"
    )
    assert unpriced == billed(10_000, MINI_AUDIO_IN) + billed(40_000, MINI_AUDIO_OUT) + Decimal(
        CODE_INTERPRETER_SESSION
    )
    discounts, variance, status = studio.query(
        "select explained_discounts, variance, status from marts.fct_invoice_reconciliation"
        " where provider = 'anthropic'"
    )[0]
    anthropic = [c for c in CALLS.values() if c.provider == "anthropic"]
    assert discounts == variance == sum(c.list_cost() * c.discount() for c in anthropic)
    assert status == "investigate"  # a 10% contract discount the invoice does not show


# ---------------------------------------------------------------- FOCUS


def test_focus_charges_have_their_own_consumed_units(studio: Warehouse) -> None:
    rows = studio.query(
        "select x_model_id, x_token_type, consumed_unit, pricing_unit, sum(consumed_quantity),"
        " sum(effective_cost), max(list_unit_price), bool_and(x_is_priced)"
        " from marts.fct_focus_costs"
        " where charge_category = 'Usage' and x_charge_kind = 'token_usage' group by all"
    )
    charges = {(row[0], row[1]): row[2:] for row in rows}
    assert charges[("gpt-4o-audio-preview", "input_audio")][:3] == (
        "Tokens",
        "1000000 Tokens",
        Decimal(30_000),
    )
    assert charges[("gpt-4o-audio-preview", "input")][2] == Decimal(8_000)
    assert charges[("gpt-4.1", "web_search")] == (
        "Searches", "1000 Searches", Decimal(4), billed(4, "10", THOUSAND), Decimal(10), True
    )  # fmt: skip
    assert charges[("gpt-4.1", "file_search")][:4] == (
        "Searches", "1000 Searches", Decimal(4), billed(4, "2.50", THOUSAND)
    )  # fmt: skip
    assert charges[("sonar", "request")] == (
        "Requests", "1000 Requests", Decimal(1), Decimal("0.005"), Decimal(5), True
    )  # fmt: skip
    searches = billed(5, "10", THOUSAND) * (1 - ANTHROPIC_DISCOUNT)
    assert charges[("claude-sonnet-4.5", "web_search")][:4] == (
        "Searches", "1000 Searches", Decimal(5), searches
    )  # fmt: skip
    # unpriced: no cost here, the invoice's unit price (per 1,000 sessions, per 1M tokens)
    session = Decimal(CODE_INTERPRETER_SESSION)
    assert charges[("gpt-4.1", "code_execution")] == (
        "Sessions", "1000 Sessions", Decimal(1), Decimal(0), session * 1000, False
    )  # fmt: skip
    assert charges[("gpt-4o-mini-audio-preview", "output_audio")] == (
        "Tokens", "1000000 Tokens", Decimal(40_000), Decimal(0), Decimal(MINI_AUDIO_OUT), False
    )  # fmt: skip
    # the usage charges are the ledger's cost, to the last decimal
    charged = studio.scalar(
        "select sum(effective_cost) from marts.fct_focus_costs where x_charge_kind = 'token_usage'"
    )
    assert charged == studio.scalar("select sum(cost_reporting) from marts.fct_request_costs")


def test_the_ties_hold_and_the_focus_files_pass_the_validator(
    studio: Warehouse, tmp_path: Path
) -> None:
    results = json.loads((studio.root / "target" / "run_results.json").read_text())["results"]
    ties = {r["unique_id"]: r["status"] for r in results if ".assert_" in r["unique_id"]}
    assert len(ties) >= 15
    assert {test: status for test, status in ties.items() if status != "pass"} == {}
    assert [r["unique_id"] for r in results if r["status"] in ("fail", "error")] == []
    if not VALIDATOR.exists():
        pytest.fail(f"no focus-validator at {VALIDATOR}: `make focus` installs it (.venv-focus)")
    for export in export_periods(studio.database, tmp_path):
        for written in export.files:
            result = validate_file(Validator(VALIDATOR), written.path)
            assert result.succeeded, result.details
