"""Every landed file is read or quarantined with its reason: nothing lands unread.

One landing set holds the same kind of records in every wrapping a system writes them in
(JSON Lines, one pretty-printed document, an array; gzip or zstd, named so or not; a
byte-order mark, Windows line ends, UTF-16) beside files no reader can take (an unknown
extension, a folder that is no landing folder, a file at the top, a truncated archive, text
that is not UTF-8, a file that is not Parquet, a spreadsheet among the invoices). One build
reads it; the tests check the ledger, the file inventory and the threshold.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
import zstandard

from harness import (
    INVOICE_HEADER,
    SMALL_LANDING_VARIABLES,
    Warehouse,
    build,
    dbt_failure,
    project_copy,
    write_csv,
)

VARIABLES = {
    **SMALL_LANDING_VARIABLES,
    "chargeback__max_quarantine_share": 1,
    "chargeback__max_quarantined_file_share": 1,  # this landing set quarantines files on purpose
}


def request(request_id: str, hour: int = 10) -> dict[str, Any]:
    """A canonical gateway record of one call, 1 September 2026."""
    return {
        "request_id": request_id,
        "attempt_number": 1,
        "occurred_at": f"2026-09-01T{hour:02d}:00:00Z",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "api_key_id": "key-1",
        "request_type": "chat",
        "status_code": 200,
        "input_tokens": 1000,
        "output_tokens": 100,
        "team": "support",
        "product": "bot",
        "environment": "prod",
        "scenario": "reply",
    }


def lines(*records: dict[str, Any], end: str = "\n") -> str:
    return "".join(json.dumps(record) + end for record in records)


# relative path -> content; the request ids each readable file holds
READABLE: dict[str, tuple[bytes, list[str]]] = {
    "gateway_requests/lines.jsonl": (lines(request("l1"), request("l2")).encode(), ["l1", "l2"]),
    "gateway_requests/windows.jsonl": (
        b"\xef\xbb\xbf" + lines(request("w1"), request("w2"), end="\r\n").encode(),
        ["w1", "w2"],
    ),
    "gateway_requests/pretty.json": (json.dumps(request("p1"), indent=2).encode(), ["p1"]),
    "gateway_requests/array.json": (
        json.dumps([request("a1"), request("a2"), request("a3")], indent=4).encode(),
        ["a1", "a2", "a3"],
    ),
    "gateway_requests/compressed.jsonl.gz": (
        gzip.compress(lines(request("g1"), request("g2")).encode()),
        ["g1", "g2"],
    ),
    "gateway_requests/compressed_but_named.json": (
        gzip.compress(json.dumps([request("n1")], indent=2).encode()),
        ["n1"],
    ),
    "gateway_requests/zstd/batch.ndjson.zst": (
        zstandard.ZstdCompressor().compress(lines(request("z1")).encode()),
        ["z1"],
    ),
    "gateway_requests/UPPER/CASE.JSONL": (lines(request("u1")).encode(), ["u1"]),
    "gateway_requests/utf16.json": (
        json.dumps(request("utf16")).encode("utf-16"),
        ["utf16"],
    ),
    "gateway_requests/no_extension": (lines(request("x1")).encode(), ["x1"]),
}
EMPTY = {
    "gateway_requests/empty.jsonl": b"",
    "gateway_requests/blank.json": b"  \n\n",
}
QUARANTINED = {
    "gateway_requests/notes.txt": (
        b"call log",
        "a file named .txt is not read in gateway_requests/",
    ),
    "gateway_requests/truncated.jsonl.gz": (
        gzip.compress(lines(request("t1"), request("t2")).encode())[:-12],
        "unreadable gzip archive",
    ),
    "gateway_requests/latin1.jsonl": (
        json.dumps(request("caf\u00e9"), ensure_ascii=False).encode("latin-1"),
        "not UTF-8 text",
    ),
    "gateway_requests/fake.parquet": (b"not parquet at all", "not a Parquet file"),
    "gateway_requests/old.parquet.gz": (gzip.compress(b"PAR1...PAR1"), "a compressed Parquet file"),
    "gateway_logs/lines.jsonl": (lines(request("lost1")).encode(), "not a landing folder"),
    "stray.jsonl": (lines(request("lost2")).encode(), "a file at the top of the landing folder"),
    "invoices/september.xlsx": (b"PK\x03\x04", "a file named .xlsx is not read in invoices/"),
    "invoices/windows-1252.csv": (
        "invoice_id,provider,line_description\nI-1,openai,caf\u00e9\n".encode("cp1252"),
        "not UTF-8 text",
    ),
    ".DS_Store": (b"\x00\x00\x00\x01Bud1", "a file at the top of the landing folder"),
}


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("landed_files"))
    files = {
        **{path: content for path, (content, _) in READABLE.items()},
        **EMPTY,
        **{path: content for path, (content, _) in QUARANTINED.items()},
    }
    for path, content in files.items():
        target = warehouse.landing / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    write_csv(warehouse.landing / "invoices" / "header-only.csv", INVOICE_HEADER, [])
    build(warehouse, variables=VARIABLES)
    return warehouse


def test_every_record_of_every_readable_shape_is_in_the_ledger_once(landed: Warehouse) -> None:
    expected = sorted(rid for _, ids in READABLE.values() for rid in ids)
    ledger = sorted(r for (r,) in landed.query("select request_id from marts.fct_request_costs"))
    assert ledger == expected
    assert landed.scalar("select count(*) from marts.fct_quarantined_records") == 0


def test_each_record_names_its_file_and_position(landed: Warehouse) -> None:
    rows = landed.query(
        "select request_id, source_format, source_line from intermediate.int_requests_landed"
        " where request_id in ('l2', 'w2', 'p1', 'a3', 'g2')"
    )
    assert sorted(rows) == [
        ("a3", "json", 3),  # the third element of the array
        ("g2", "jsonl", 2),  # compressed files are numbered too
        ("l2", "jsonl", 2),
        ("p1", "json", 1),
        ("w2", "jsonl", 2),
    ]


def test_every_file_under_the_landing_folder_has_a_status(landed: Warehouse) -> None:
    on_disk = sorted(
        str(Path(folder, name).relative_to(landed.landing))
        for folder, _, names in os.walk(landed.landing)
        for name in names
    )
    statuses = dict(landed.query("select relative_path, file_status from marts.fct_landed_files"))
    assert sorted(statuses) == on_disk  # the inventory lists exactly what is on disk
    assert {p for p, s in statuses.items() if s == "read"} == set(READABLE)
    assert {p for p, s in statuses.items() if s == "empty"} == {
        *EMPTY,
        "invoices/header-only.csv",
    }
    assert {p for p, s in statuses.items() if s == "quarantined"} == set(QUARANTINED)


def test_a_quarantined_file_says_why(landed: Warehouse) -> None:
    reasons = dict(
        landed.query(
            "select relative_path, quarantine_reason from marts.fct_landed_files"
            " where file_status = 'quarantined'"
        )
    )
    for path, (_, reason) in QUARANTINED.items():
        assert reason in reasons[path], path


def test_records_per_file_add_up(landed: Warehouse) -> None:
    rows = landed.query(
        "select relative_path, records_landed, records_used, compression"
        " from marts.fct_landed_files where file_status = 'read'"
    )
    by_path = {path: (n, used, compression) for path, n, used, compression in rows}
    for path, (_, ids) in READABLE.items():
        assert by_path[path][:2] == (len(ids), len(ids)), path
    assert by_path["gateway_requests/compressed_but_named.json"][2] == "gzip"
    assert by_path["gateway_requests/zstd/batch.ndjson.zst"][2] == "zstd"


def test_quarantined_files_fail_the_build_over_the_threshold(landed: Warehouse) -> None:
    output = dbt_failure(
        landed,
        "test",
        "--select",
        "assert_quarantined_files_below_threshold",
        variables={**VARIABLES, "chargeback__max_quarantined_file_share": 0.01},
    )
    # invoices (two of three files), gateway_logs, the top of the landing folder and
    # gateway_requests (its quarantined files hold more than 1% of its bytes)
    assert "FAIL 4 assert_quarantined_files_below_threshold" in output
