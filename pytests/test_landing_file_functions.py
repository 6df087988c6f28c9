"""The landing functions: how a landed file's bytes become text, or why they cannot, and what
content an OpenTelemetry export batch loses as it is read."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest
import zstandard

from chargeback.landing.content import otel_batch_without_content
from chargeback.landing.duckdb_functions import register
from chargeback.landing.files import (
    compression_of,
    landed_compression,
    landed_file_issue,
    landed_text,
)

TEXT = '{"request_id": "caf\u00e9"}\n'


@pytest.mark.parametrize(
    ("content", "compression"),
    [
        (TEXT.encode(), "none"),
        (gzip.compress(TEXT.encode()), "gzip"),
        (gzip.compress(TEXT[:10].encode()) + gzip.compress(TEXT[10:].encode()), "gzip"),
        (zstandard.ZstdCompressor().compress(TEXT.encode()), "zstd"),
        (b"\xef\xbb\xbf" + TEXT.encode(), "none"),
        (TEXT.encode("utf-16"), "none"),
    ],
    ids=["plain", "gzip", "gzip-two-members", "zstd", "utf8-bom", "utf16-bom"],
)
def test_the_text_is_the_same_whatever_the_wrapping(content: bytes, compression: str) -> None:
    assert compression_of(content[:4]) == compression
    assert landed_text(content) == TEXT


@pytest.mark.parametrize(
    ("content", "reader_format", "reason"),
    [
        (gzip.compress(TEXT.encode())[:-10], "json", "unreadable gzip archive"),
        (TEXT.encode("latin-1"), "json", "not UTF-8 text (byte 19 cannot be decoded)"),
        (TEXT.encode("utf-16"), "csv", "UTF-16 text: the CSV reader reads UTF-8"),
        (b"PAR1 but cut", "parquet", "not a Parquet file"),
    ],
    # named, not derived from the bytes: a gzip header holds the time it was written, and the
    # parallel workers must collect the same test ids
    ids=["truncated-gzip", "latin-1", "utf-16-csv", "cut-parquet"],
)
def test_an_unreadable_file_gets_a_reason(
    tmp_path: Path, content: bytes, reader_format: str, reason: str
) -> None:
    path = tmp_path / "landed"
    path.write_bytes(content)
    issue = landed_file_issue(str(path), reader_format)
    assert issue is not None and issue.startswith(reason)
    assert landed_text(content) is None or reader_format != "json"


def test_readable_and_empty_files_have_no_issue(tmp_path: Path) -> None:
    (tmp_path / "plain.json").write_text(TEXT)
    (tmp_path / "empty.parquet").write_bytes(b"")
    (tmp_path / "ok.parquet").write_bytes(b"PAR1 footer PAR1")
    for name, reader_format in (("plain.json", "json"), ("empty.parquet", "parquet")):
        assert landed_file_issue(str(tmp_path / name), reader_format) is None
    assert landed_file_issue(str(tmp_path / "ok.parquet"), "parquet") is None
    assert landed_compression(str(tmp_path / "plain.json")) == "none"
    assert landed_file_issue(str(tmp_path / "missing.json"), "json").startswith("cannot be opened")


def test_the_functions_answer_inside_duckdb_and_register_once(tmp_path: Path) -> None:
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(TEXT.encode()))
    connection = register(register(duckdb.connect()))
    row = connection.execute(
        "select chargeback_landed_text(content), chargeback_landed_compression(filename),"
        " chargeback_landed_file_issue(filename, 'json'), chargeback_landed_text(null)"
        " from read_blob(?)",
        [str(tmp_path / "a.json.gz")],
    ).fetchone()
    assert row == (TEXT, "gzip", None, None)


def attribute(key: str, value: dict[str, object]) -> dict[str, object]:
    return {"key": key, "value": value}


def test_an_otel_batch_loses_every_content_attribute_of_its_spans_and_events_and_nothing_else() -> (
    None
):
    kept = [
        attribute("gen_ai.usage.input_tokens", {"intValue": "12"}),
        attribute("gen_ai.request.model", {"stringValue": "gpt-4o-mini"}),
    ]
    content = [
        attribute("gen_ai.input.messages", {"stringValue": '[{"role": "user"}]'}),
        attribute("gen_ai.output.messages", {"arrayValue": {"values": [{"stringValue": "x"}]}}),
        attribute("gen_ai.system_instructions", {"stringValue": "be brief"}),
        attribute("gen_ai.prompt.0.content", {"stringValue": "hello"}),
        attribute("gen_ai.completion.0.content", {"stringValue": "hi"}),
        attribute("input.value", {"stringValue": "hello"}),
    ]
    event = {"name": "gen_ai.content.prompt", "attributes": [attribute("gen_ai.prompt", {})]}
    span = {"spanId": "s1", "attributes": kept + content, "events": [event]}
    batch = {"resourceSpans": [{"scopeSpans": [{"scope": {}, "spans": [span]}]}]}

    cleaned = json.loads(otel_batch_without_content(json.dumps(batch)) or "null")

    (cleaned_span,) = cleaned["resourceSpans"][0]["scopeSpans"][0]["spans"]
    assert cleaned_span["attributes"] == kept
    assert cleaned_span["events"] == [{"name": "gen_ai.content.prompt", "attributes": []}]
    assert cleaned_span["spanId"] == "s1"


@pytest.mark.parametrize("record", ["not json", "[1, 2]", '{"no": "batch"}', None])
def test_a_record_that_is_not_an_otel_batch_is_read_as_it_is(record: str | None) -> None:
    assert otel_batch_without_content(record) == record
