"""Prompt and response content out of OpenTelemetry export batches, before any model reads them.

LiteLLM and Bedrock records carry content in fixed fields, which a JSON merge patch removes
(macro raw_record_without_content). An OTLP batch carries it in attributes, inside arrays of
arrays (resourceSpans -> scopeSpans -> spans -> attributes, and each span's events ->
attributes), under keys that the instrumentation chooses when it records content (opt-in in
every convention): the GenAI semantic conventions' `gen_ai.input.messages`,
`gen_ai.output.messages`, `gen_ai.system_instructions` and tool call arguments and results,
their deprecated `gen_ai.prompt` / `gen_ai.completion` event attributes, OpenLLMetry's
`gen_ai.prompt.<n>.content`, OpenInference's `input.value`, `output.value` and
`llm.input_messages...`. A merge patch cannot remove elements of an array, so this walks the
batch and leaves out every attribute under such a key, whatever its value's type; the rest
of the batch, and a line that is not a batch (staging quarantines it), stay as they were.
"""

from __future__ import annotations

import json
import re
from typing import Any

CONTENT_KEY = re.compile(
    r"gen_ai\.(input\.messages|output\.messages|system_instructions"
    r"|tool\.call\.arguments|tool\.call\.result|prompt|completion)(\..*)?"
    r"|(input|output)\.value|llm\.(input|output)_messages(\..*)?"
)


def _without_content(attributes: Any) -> Any:
    if not isinstance(attributes, list):
        return attributes
    return [
        attribute
        for attribute in attributes
        if not (isinstance(attribute, dict) and CONTENT_KEY.fullmatch(str(attribute.get("key"))))
    ]


def _span_without_content(span: Any) -> Any:
    if not isinstance(span, dict):
        return span
    cleaned = dict(span)
    if "attributes" in span:
        cleaned["attributes"] = _without_content(span["attributes"])
    if isinstance(span.get("events"), list):
        cleaned["events"] = [
            {**event, "attributes": _without_content(event.get("attributes"))}
            if isinstance(event, dict)
            else event
            for event in span["events"]
        ]
    return cleaned


def otel_batch_without_content(record: str | None) -> str | None:
    """The export batch `record` (JSON text) without content attributes; anything that is not
    a batch, as it is."""
    if record is None:
        return None
    try:
        batch = json.loads(record)
    except ValueError:
        return record
    if not isinstance(batch, dict) or not isinstance(batch.get("resourceSpans"), list):
        return record
    for resource_spans in batch["resourceSpans"]:
        if not isinstance(resource_spans, dict):
            continue
        for scope_spans in resource_spans.get("scopeSpans") or []:
            if isinstance(scope_spans, dict) and isinstance(scope_spans.get("spans"), list):
                scope_spans["spans"] = [_span_without_content(s) for s in scope_spans["spans"]]
    return json.dumps(batch, ensure_ascii=False, separators=(",", ":"))
