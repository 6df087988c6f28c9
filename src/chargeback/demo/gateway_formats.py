"""The demo's traffic written as a real gateway would log it: LiteLLM spend logs or OTel spans.

Each writer takes the canonical columns (one entry per call attempt) and writes one JSON
Lines file per UTC day, in the shape the systems write (LiteLLM_SpendLogs rows as its proxy
fills them; OTLP/JSON export batches of GenAI client spans). What a format cannot say is lost
as it would be in real life: LiteLLM has no batch flag and one cache-write count, and writes
one row per call, its last attempt (the attempts that failed before it leave no row; their
count is `attempted_retries`); its team is the key's team, a UUID with the team's alias in the
metadata; its session_id is a fresh id per call when the caller sends none. OpenTelemetry
never sees the gateway's cache hits. Request ids stay traceable: a LiteLLM request_id and a
span's gen_ai.response.id are the canonical request id (cache hits get LiteLLM's
`_cache_hit` suffix), so tests can compare the ledgers call by call.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from chargeback.demo.labels import LABELS
from chargeback.demo.traffic import DAY_MS, Columns
from chargeback.demo.writer import contract_table, day_ranges

SPANS_PER_BATCH = 200
# LiteLLM names teams by UUID; the demo's are derived from the team's id, the same every run
TEAM_NAMESPACE = uuid.UUID("6f1d2c3b-4a59-4e68-9d7c-0b1a2f3e4d5c")


def _value(columns: Columns, name: str, index: int) -> Any:
    value = columns[name][index]
    if value is None:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _days(
    columns: Columns, canonical: tuple[np.ndarray, np.ndarray]
) -> Iterator[tuple[str, int, Columns, tuple[np.ndarray, np.ndarray]]]:
    """Each UTC day: its date, first position and its attempts' contract fields and canonical
    (provider, model) as numpy arrays of Python values (text as objects, None for null)."""
    for first, last in day_ranges(columns["occurred_ms"] // DAY_MS):
        table = contract_table(columns, first, last)
        day = {name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names}
        day["occurred_ms"] = columns["occurred_ms"][first:last]
        provider, model = (
            LABELS.arrow(codes[first:last]).to_numpy(zero_copy_only=False) for codes in canonical
        )
        yield str(day["occurred_at"][0])[:10], first, day, (provider, model)


def litellm_row(columns: Columns, canonical: tuple[np.ndarray, np.ndarray], index: int) -> dict:
    """One LiteLLM_SpendLogs row for the attempt at `index`."""

    def value(name: str) -> Any:
        return _value(columns, name, index)

    cache_hit = bool(value("gateway_cache_hit"))
    status_code = int(value("status_code"))
    occurred_at = str(value("occurred_at"))
    request_id = str(value("request_id"))
    if cache_hit:
        request_id = f"{request_id}_cache_hit{int(value('occurred_ms')) / 1000:.2f}"
    team = value("team")
    tags = {
        key: value(field)
        for key, field in (
            ("team", "team"),
            ("product", "product"),
            ("environment", "environment"),
            ("scenario", "scenario"),
            ("cost_center", "cost_center"),
            ("unit_id", "unit_id"),
            ("prompt_template_id", "prompt_template_id"),
        )
        if value(field) is not None
    }
    return {
        "request_id": request_id,
        "call_type": "acompletion",
        "api_key": f"hash-of-{value('api_key_id')}",
        "spend": float(value("gateway_cost_usd") or 0) if status_code < 400 else 0.0,
        "total_tokens": int(value("input_tokens")) + int(value("output_tokens")),
        "prompt_tokens": int(value("input_tokens")),
        "completion_tokens": int(value("output_tokens")),
        "startTime": occurred_at,
        "model": str(canonical[1][index]),
        "model_group": value("model"),
        "custom_llm_provider": str(canonical[0][index]),
        "user": value("user_id") or "",
        "metadata": {
            "user_api_key_alias": value("api_key_id"),
            "user_api_key_team_alias": team,
            "spend_logs_metadata": tags,
            "additional_usage_values": {
                "prompt_tokens_details": {"cached_tokens": int(value("cache_read_tokens"))},
                "cache_creation_input_tokens": int(value("cache_write_tokens"))
                + int(value("cache_write_1h_tokens")),
                "completion_tokens_details": {"reasoning_tokens": int(value("reasoning_tokens"))},
            },
            "status": "failure" if status_code >= 400 else "success",
            "error_information": {"error_code": str(status_code)} if status_code >= 400 else None,
            "attempted_retries": int(value("attempt_number")) - 1,
        },
        "cache_hit": "True" if cache_hit else "False",
        "cache_key": "Cache OFF",
        "request_tags": [f"env:{value('environment')}"] if value("environment") else [],
        "team_id": str(uuid.uuid5(TEAM_NAMESPACE, team)) if team else None,
        # LiteLLM's trace id: a fresh one per call when the caller sends no session
        "session_id": str(uuid.uuid5(TEAM_NAMESPACE, request_id)),
        "messages": {},
        "response": {},
        "status": "failure" if status_code >= 400 else "success",
    }


def _attribute(key: str, value: Any) -> dict:
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": str(value)}}


def otel_resource_span(
    columns: Columns, canonical: tuple[np.ndarray, np.ndarray], index: int, span_id: int
) -> dict:
    """One resourceSpans entry holding the GenAI client span of the attempt at `index`."""

    def value(name: str) -> Any:
        return _value(columns, name, index)

    status_code = int(value("status_code"))
    start_nanos = int(value("occurred_ms")) * 1_000_000
    resource = {
        "service.name": value("product"),
        "deployment.environment.name": value("environment"),
        "team": value("team"),
        "api_key_id": value("api_key_id"),
    }
    attributes = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": str(canonical[0][index]),
        "gen_ai.request.model": value("model"),
        "gen_ai.response.model": str(canonical[1][index]),
        "gen_ai.response.id": value("request_id"),
        "gen_ai.conversation.id": value("unit_id"),
        "gen_ai.usage.input_tokens": int(value("input_tokens")),
        "gen_ai.usage.cache_read.input_tokens": int(value("cache_read_tokens")),
        "gen_ai.usage.cache_creation.input_tokens": int(value("cache_write_tokens"))
        + int(value("cache_write_1h_tokens")),
        "gen_ai.usage.output_tokens": int(value("output_tokens")),
        "gen_ai.usage.reasoning.output_tokens": int(value("reasoning_tokens")),
        "scenario": value("scenario"),
        "cost_center": value("cost_center"),
        "prompt_template_id": value("prompt_template_id"),
        "attempt_number": int(value("attempt_number")),
    }
    if status_code >= 400:
        attributes["error.type"] = str(status_code)
    span = {
        "traceId": f"{int(str(value('trace_id'))[2:]):032x}",
        "spanId": f"{span_id:016x}",
        "name": f"chat {value('model')}",
        "kind": 3,
        "startTimeUnixNano": str(start_nanos),
        "endTimeUnixNano": str(start_nanos + 1_000_000_000),
        "attributes": [_attribute(k, v) for k, v in attributes.items() if v is not None],
        "status": {"code": 2} if status_code >= 400 else {"code": 0},
    }
    return {
        "resource": {
            "attributes": [_attribute(k, v) for k, v in resource.items() if v is not None]
        },
        "scopeSpans": [{"scope": {"name": "chargeback.demo"}, "spans": [span]}],
    }


def last_attempts(columns: Columns) -> np.ndarray:
    """True for each call's last attempt: the attempt no later attempt of its call follows."""
    positions = np.arange(len(columns["attempt_number"]))
    call = np.where(columns["original_row"] >= 0, columns["original_row"], positions)
    attempts = columns["attempt_number"]
    last = np.zeros(int(call.max()) + 1 if len(call) else 0, dtype=attempts.dtype)
    np.maximum.at(last, call, attempts)
    return attempts == last[call]


def write_litellm(columns: Columns, canonical: tuple[np.ndarray, np.ndarray], root: Path) -> int:
    """litellm_spend_logs/dt=YYYY-MM-DD/part-0.jsonl, one row per call (its last attempt, as
    LiteLLM's proxy logs it); returns the files."""
    files = 0
    is_last = last_attempts(columns)
    for day, first, day_columns, day_canonical in _days(columns, canonical):
        folder = root / "litellm_spend_logs" / f"dt={day}"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "part-0.jsonl").open("w") as file:
            for index in range(len(day_columns["occurred_ms"])):
                if is_last[first + index]:
                    row = litellm_row(day_columns, day_canonical, index)
                    file.write(json.dumps(row) + "\n")
        files += 1
    return files


def write_otel(columns: Columns, canonical: tuple[np.ndarray, np.ndarray], root: Path) -> int:
    """otel_spans/dt=YYYY-MM-DD/part-0.jsonl, export batches of spans; gateway cache hits,
    which never reach a provider, have no span. Returns the number of files."""
    files = 0
    for day, first, day_columns, day_canonical in _days(columns, canonical):
        calls = np.flatnonzero(~day_columns["gateway_cache_hit"]).tolist()
        folder = root / "otel_spans" / f"dt={day}"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "part-0.jsonl").open("w") as file:
            for start in range(0, len(calls), SPANS_PER_BATCH):
                batch = calls[start : start + SPANS_PER_BATCH]
                resource_spans = [
                    otel_resource_span(day_columns, day_canonical, i, first + i + 1) for i in batch
                ]
                file.write(json.dumps({"resourceSpans": resource_spans}) + "\n")
        files += 1
    return files
