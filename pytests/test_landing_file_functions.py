"""The landing functions: how a landed file's bytes become text, or why they cannot."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
import zstandard

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
