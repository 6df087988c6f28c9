"""The FOCUS export: built on a small demo, with a closed month that learns late calls.

A small demo company (August closed, as the committed seed says) is built, late August calls
land on a key of their own, and it is built again: August keeps its effective cost and
September, the first open month, carries the corrections (late_august.py; the session builds
it once, conftest.py). The export is written, its CSV and Parquet files compared with each
other and with the mart, and the FinOps Foundation's validator (the .venv-focus that `make
focus` installs) run on every file, and on a broken copy, which it must reject.
"""

from __future__ import annotations

import csv
import json
import math
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chargeback.focus import __main__ as focus_cli
from chargeback.focus.columns import FOCUS_COLUMNS, VALIDATOR_ALIASES, focus_name
from chargeback.focus.export import csv_text, decimal_text, export_periods
from chargeback.focus.validate import Validator, parse_junit, validate_file
from harness import Warehouse
from late_august import LATE_CALLS, LATE_KEY, august_before, august_effective_cost

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = Path(
    os.environ.get("FOCUS_VALIDATOR", ROOT / ".venv-focus" / "bin" / "focus-validator")
)


@pytest.fixture(scope="module")
def focus(late_august_demo: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("focus") / "exports"
    exports = export_periods(late_august_demo.database, out)
    return {
        "warehouse": late_august_demo,
        "august_before": august_before(late_august_demo),
        "out": out,
        "exports": exports,
    }


def validator() -> Validator:
    if not VALIDATOR.exists():
        pytest.fail(f"no focus-validator at {VALIDATOR}: `make focus` installs it (.venv-focus)")
    return Validator(VALIDATOR)


def test_august_keeps_the_effective_cost_it_closed_with(focus: dict[str, Any]) -> None:
    assert august_effective_cost(focus["warehouse"]) == focus["august_before"]


def test_the_late_calls_are_corrections_booked_in_september(focus: dict[str, Any]) -> None:
    warehouse: Warehouse = focus["warehouse"]
    booked, belongs_to, effective, billed, charges = warehouse.row(
        "select x_chargeback_month, x_correction_for_period, sum(effective_cost), sum(billed_cost),"
        " count(*) from marts.fct_focus_costs where charge_class = 'Correction' group by all"
    )
    assert (booked, belongs_to) == (date(2026, 9, 1), date(2026, 8, 1))
    assert billed == 0 and charges > 0
    chargeback = warehouse.scalar(
        "select sum(total_charge) from marts.fct_team_chargeback where charge_class = 'Correction'"
    )
    assert effective == chargeback != 0
    late_tokens = warehouse.scalar(
        "select sum(consumed_quantity) from marts.fct_focus_costs where charge_class is null"
        " and x_chargeback_month = '2026-08-01' and x_team_id = 'sales'"
        " and resource_id = ? and effective_cost = 0 and billed_cost > 0",
        [LATE_KEY],
    )
    assert (
        late_tokens == LATE_CALLS * 33000
    )  # the late calls' charges: billed, not charged in August


def test_billed_cost_still_ties_to_each_invoice(focus: dict[str, Any]) -> None:
    rows = focus["warehouse"].query(
        "select i.provider, i.billing_period_start, round(i.invoice_amount_reporting, 2),"
        " sum(f.billed_cost) from intermediate.int_invoices_summarised as i"
        " inner join marts.fct_focus_costs as f on f.x_provider_id = i.provider"
        " and f.x_billing_month = i.billing_period_start and f.charge_category != 'Tax'"
        " group by all"
    )
    assert len(rows) >= 6
    assert all(invoice == billed for _, _, invoice, billed in rows)


def test_one_csv_and_one_parquet_per_billing_period(focus: dict[str, Any]) -> None:
    names = sorted(path.name for path in focus["out"].iterdir())
    periods = ["2026-08", "2026-09", "2026-10"]
    expected = [f"focus_1.0_{p}.{suffix}" for p in periods for suffix in ("csv", "parquet")]
    assert names == sorted([*expected, "manifest.json"])
    manifest = json.loads((focus["out"] / "manifest.json").read_text())
    assert [p["billing_period"] for p in manifest["billing_periods"]] == periods
    mart_rows = dict(
        focus["warehouse"].query(
            "select strftime(x_billing_month, '%Y-%m'), count(*) from marts.fct_focus_costs"
            " group by all"
        )
    )
    assert {p["billing_period"]: p["rows"] for p in manifest["billing_periods"]} == mart_rows


def test_the_files_carry_every_focus_column_then_the_validator_copies_then_x_columns(
    focus: dict[str, Any],
) -> None:
    columns = pq.read_schema(focus["out"] / "focus_1.0_2026-09.parquet").names
    focus_part = [name for name in columns if not name.startswith("x_")]
    assert focus_part == [*FOCUS_COLUMNS, *VALIDATOR_ALIASES]
    assert columns[: len(focus_part)] == focus_part  # custom columns come last
    assert {"x_ModelId", "x_TokenDirection", "x_TokenCacheAction", "x_AttributionMethod"} <= set(
        columns
    )
    with (focus["out"] / "focus_1.0_2026-09.csv").open(newline="") as handle:
        assert next(csv.reader(handle)) == columns


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {row["x_ChargeId"]: row for row in csv.DictReader(handle)}


def test_csv_and_parquet_hold_the_same_charges(focus: dict[str, Any]) -> None:
    text = read_csv(focus["out"] / "focus_1.0_2026-09.csv")
    table = pq.read_table(focus["out"] / "focus_1.0_2026-09.parquet")
    assert table.num_rows == len(text) > 0
    assert table.schema.field("BilledCost").type == pa.float64()
    assert table.schema.field("ChargePeriodStart").type == pa.timestamp("us", tz="UTC")
    corrections = 0
    for row in table.to_pylist():
        written = text[row["x_ChargeId"]]
        for name in ("BilledCost", "EffectiveCost", "ListCost", "PricingQuantity"):
            if row[name] is None:
                assert written[name] == ""
            else:
                assert math.isclose(float(Decimal(written[name])), row[name], rel_tol=1e-12)
        moment: datetime = row["ChargePeriodStart"]
        assert written["ChargePeriodStart"] == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert written["Provider"] == written["ProviderName"] == row["ProviderName"]
        corrections += written["ChargeClass"] == "Correction"
    assert corrections > 0  # September's file carries August's corrections


def test_the_csv_files_add_up_to_the_mart_to_the_last_decimal(focus: dict[str, Any]) -> None:
    totals = {"BilledCost": Decimal(0), "EffectiveCost": Decimal(0)}
    for path in sorted(focus["out"].glob("*.csv")):
        for row in read_csv(path).values():
            for name in totals:
                totals[name] += Decimal(row[name])
    mart = focus["warehouse"].query(
        "select sum(billed_cost), sum(effective_cost) from marts.fct_focus_costs"
    )[0]
    assert (totals["BilledCost"], totals["EffectiveCost"]) == mart


def test_the_validator_finds_no_failure_in_any_file(
    focus: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    validator()
    code = focus_cli.main(["validate", "--validator", str(VALIDATOR), "--dir", str(focus["out"])])
    report = capsys.readouterr().out
    assert code == 0, report
    assert report.count(": 133 checks: 133 passed, 0 failed, 0 errored, 0 skipped") == 6
    assert "6 files, 798 checks run: 798 passed, 0 failed, 0 errored, 0 skipped" in report


def test_the_validator_rejects_a_broken_file(focus: dict[str, Any], tmp_path: Path) -> None:
    table = pq.read_table(focus["out"] / "focus_1.0_2026-10.parquet")
    rows = table.to_pylist()
    usage = next(row for row in rows if row["ChargeCategory"] == "Usage")
    usage["SkuPriceId"] = None
    rows[0]["BillingCurrency"] = "KZ"
    broken = tmp_path / "focus_1.0_2026-10.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), broken)
    result = validate_file(validator(), broken)
    assert not result.succeeded
    failed = {check.name for check in result.checks if check.outcome == "failed"}
    assert failed == {"SkuPriceId_Nullable", "BillingCurrency_IsCurrencyCode"}
    assert "Validation failed!" in result.details


def test_export_names_are_the_focus_column_ids() -> None:
    assert focus_name("billed_cost") == "BilledCost"
    assert focus_name("sku_price_id") == "SkuPriceId"
    assert focus_name("sub_account_name") == "SubAccountName"
    assert focus_name("x_token_cache_action") == "x_TokenCacheAction"
    with pytest.raises(ValueError, match="neither a FOCUS"):
        focus_name("charge_type")


def test_csv_values_are_exact_and_in_the_focus_formats() -> None:
    assert decimal_text(Decimal("12.50000000000000000000"), with_point=True) == "12.5"
    assert decimal_text(Decimal("3000000"), with_point=True) == "3000000.0"
    assert decimal_text(Decimal("-0E-20"), with_point=True) == "0.0"
    assert (
        decimal_text(Decimal("0.00000000000000000001"), with_point=False)
        == "0.00000000000000000001"
    )
    assert csv_text(datetime(2026, 10, 1, 19, 0), "ChargePeriodStart") == "2026-10-01T19:00:00Z"
    assert csv_text(None, "RegionId") == ""
    assert csv_text(False, "x_IsPriced") == "false"


def test_a_junit_report_is_read_check_by_check() -> None:
    checks = parse_junit(
        "<testsuites><testsuite name='a'>"
        "<testcase name='BilledCost_Required :: ColumnRequired'/>"
        "<testcase name='Tags_IsJSONObject :: DataTypeCheck'><failure message='bad'/></testcase>"
        "<testcase name='RegionId_Nullable :: AllowNullsCheck'><skipped message='off'/></testcase>"
        "</testsuite></testsuites>"
    )
    assert [(c.name, c.outcome) for c in checks] == [
        ("BilledCost_Required", "passed"),
        ("Tags_IsJSONObject", "failed"),
        ("RegionId_Nullable", "skipped"),
    ]
