"""Bad input is quarantined with its reason, duplicates count once, and nothing is lost.

One landing set holds one record of each bad-input class beside good ones, a truncated last
line, an empty file, a header-only invoice file and bad invoice lines; other request sources
have no folder at all. The counts below are what a person reading the files would count.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chargeback.report.__main__ import write_pack
from harness import INVOICE_HEADER, Warehouse, build, dbt_failure, project_copy, write_csv

LOOSE = {"chargeback__max_quarantine_share": 0.9, "chargeback__min_tagged_spend_share": 0}
SECRET_KEY = "sk-proj-Zx81bQ2mVt7LwP0cKd93NfYh4sAe6RuG"
RAW_USER = "alice.raw.user@example.com"


def call(request_id: str | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "request_id": request_id,
        "occurred_at": "2026-09-10T10:00:00Z",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "api_key_id": "key_sales_prod",
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": 1000,
        "output_tokens": 100,
        "team": "sales",
        "user_id": RAW_USER,
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


LINES = [
    json.dumps(call("ok-1")),
    json.dumps(call("ok-2", output_tokens=200)),
    '{"request_id": "broken" "occurred_at": "2026-09-10T10:00:00Z"}',
    json.dumps(call("bad-time", occurred_at="yesterday afternoon")),
    json.dumps(call(None)),
    json.dumps(call("no-provider", provider=None)),
    json.dumps(call("no-model", model=None)),
    json.dumps(call("negative", input_tokens=-5)),
    json.dumps(call("fractional", output_tokens=1.5)),
    json.dumps(call("too-much-cache", input_tokens=100, cache_read_tokens=200)),
    json.dumps(call("from-the-future", occurred_at="2099-01-01T00:00:00Z")),
    json.dumps(call("ok-1")),  # the same record delivered again
    json.dumps(call("ok-2", output_tokens=999)),  # the same id, other content
    json.dumps(call("secret-key", api_key_id=SECRET_KEY)),
    "",  # a blank line is not a record
    '{"request_id": "cut", "occurred_at": "2026-09-1',  # truncated, no newline
]
EXPECTED_QUARANTINE = {
    "malformed record: not a JSON object with the contract fields": 2,
    "unparseable occurred_at": 1,
    "missing request_id": 1,
    "missing provider": 1,
    "missing model": 1,
    "token count not a whole non-negative number": 2,
    "cache tokens exceed input_tokens": 1,
    "occurred_at in the future": 1,
}
GOOD_LINE = ["INV-9", "openai", "2026-09-01", "2026-10-01", "1", "usage", "gpt-4o-mini",
             "input", "3000", "tokens", "0.01", "USD", "usage"]  # fmt: skip
INVOICE_ROWS = [
    GOOD_LINE,
    [*GOOD_LINE[:4], "2", *GOOD_LINE[5:11], "US$", "usage"],
    [*GOOD_LINE[:4], "3", *GOOD_LINE[5:10], "twelve", "USD", "usage"],
    GOOD_LINE,  # the same line delivered twice
]
EXPECTED_INVOICE_QUARANTINE = {
    "unknown currency": 1,
    "unparseable amount": 1,
    "duplicate delivery of an invoice line": 1,
}


def land(warehouse: Warehouse) -> None:
    folder = warehouse.landing / "gateway_requests" / "dt=2026-09"
    folder.mkdir(parents=True)
    (folder / "part-0.jsonl").write_text("\n".join(LINES))  # the last line has no newline
    (folder / "empty.jsonl").write_text("")
    write_csv(warehouse.landing / "invoices" / "2026-09.csv", INVOICE_HEADER, INVOICE_ROWS)
    write_csv(warehouse.landing / "invoices" / "header-only.csv", INVOICE_HEADER, [])


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("faults"))
    land(warehouse)
    build(warehouse, variables=LOOSE)
    return warehouse


def reasons(warehouse: Warehouse, entity: str) -> dict[str, int]:
    return dict(
        warehouse.query(
            "select quarantine_reason, sum(occurrences) from marts.fct_quarantined_records"
            " where landed_entity = ? group by all",
            [entity],
        )
    )


def test_each_bad_request_is_quarantined_once_with_its_reason(faulty: Warehouse) -> None:
    assert reasons(faulty, "gateway_requests") == EXPECTED_QUARANTINE


def test_quarantined_lines_name_their_file_and_line(faulty: Warehouse) -> None:
    rows = faulty.query(
        "select source_line, quarantine_reason from marts.fct_quarantined_records"
        " where landed_entity = 'gateway_requests' and source_file like '%part-0.jsonl'"
        " order by source_line"
    )
    assert [line for line, _ in rows] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 16]
    assert rows[-1][1].startswith("malformed record")  # the truncated last line


def test_nothing_is_lost_landed_is_ledger_plus_quarantine_plus_duplicates(
    faulty: Warehouse,
) -> None:
    landed = sum(1 for line in LINES if line.strip())
    ledger = faulty.scalar("select count(*) from marts.fct_request_costs")
    quarantined = sum(reasons(faulty, "gateway_requests").values())
    duplicates = faulty.scalar("select count(*) from marts.fct_duplicate_requests")
    assert (landed, ledger, quarantined, duplicates) == (15, 3, 10, 2)
    assert ledger + quarantined + duplicates == landed


def test_a_redelivery_counts_once_and_a_conflicting_record_keeps_the_first(
    faulty: Warehouse,
) -> None:
    kinds = dict(
        faulty.query("select request_id, duplicate_kind from marts.fct_duplicate_requests")
    )
    assert kinds == {
        "ok-1": "redelivered record",
        "ok-2": "conflicting record: same request id, other content",
    }
    assert (
        faulty.scalar("select output_tokens from marts.fct_request_costs where request_id = 'ok-2'")
        == 200
    )


def test_bad_invoice_lines_are_quarantined_and_the_rest_is_used(faulty: Warehouse) -> None:
    assert reasons(faulty, "invoice_lines") == EXPECTED_INVOICE_QUARANTINE
    used = faulty.scalar(
        "select count(*) from intermediate.int_billed_lines_unioned where source_system = 'invoice'"
    )
    assert used == 1


def test_a_secret_looking_key_is_hashed_and_raw_user_ids_are_nowhere(faulty: Warehouse) -> None:
    key = faulty.scalar(
        "select api_key_id from marts.fct_request_costs where request_id = 'secret-key'"
    )
    assert key.startswith("secret-hash:") and SECRET_KEY not in key
    assert faulty.text_columns_holding(["marts"], SECRET_KEY[:12], RAW_USER) == []


def test_too_many_quarantined_records_fail_the_build_and_name_the_source(
    faulty: Warehouse,
) -> None:
    # the built warehouse tested again at the default threshold: no model reads it
    output = dbt_failure(
        faulty,
        "test",
        "--select",
        "assert_quarantine_share_below_threshold",
        variables={"chargeback__min_tagged_spend_share": 0},
    )
    # both the gateway requests (10 of 15) and the invoice lines (3 of 4) are over 1%
    assert "FAIL 2 assert_quarantine_share_below_threshold" in output


def test_a_landing_folder_that_does_not_exist_yet_builds_empty(tmp_path: Path) -> None:
    warehouse = project_copy(tmp_path)
    warehouse.landing.rmdir()
    build(warehouse, variables=LOOSE)
    assert warehouse.scalar("select count(*) from marts.fct_request_costs") == 0
    assert warehouse.scalar("select count(*) from marts.fct_quarantined_records") == 0


def test_an_overlapping_validity_range_in_a_seed_stops_the_build_naming_the_key(
    tmp_path: Path,
) -> None:
    api_keys = (Path(__file__).resolve().parents[1] / "seeds" / "api_keys.csv").read_text()
    overlapping = api_keys.rstrip("\n") + "\nkey_sales_prod,support,,prod,false,2026-06-01,\n"
    warehouse = project_copy(tmp_path, seeds={"api_keys": overlapping})
    # the seed and its tests, where a build starts: every model that reads the keys waits
    # for them
    output = dbt_failure(warehouse, "build", "--select", "api_keys", variables=LOOSE)
    assert "Overlapping validity ranges in api_keys: api_key_id=key_sales_prod" in output


def test_the_month_end_pack_holds_no_secret_and_no_raw_user_id(
    faulty: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(faulty.database))
    monkeypatch.setenv("CHARGEBACK_LANDING_DIR", str(faulty.landing))
    workbook = write_pack(faulty.root, date(2026, 9, 1), tmp_path / "reports", faulty.database)
    texts = [path.read_text() for path in workbook.parent.rglob("*.csv")]
    with zipfile.ZipFile(workbook) as book:
        texts += [book.read(name).decode() for name in book.namelist() if name.endswith(".xml")]
    assert len(texts) > 5
    pack = "\n".join(texts)
    assert SECRET_KEY not in pack and SECRET_KEY[:12] not in pack
    assert RAW_USER not in pack
