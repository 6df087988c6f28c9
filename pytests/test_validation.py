"""Validating the warehouse with Great Expectations: clean data passes, broken marts fail loudly.

Every test builds a tiny DuckDB warehouse of its own (the typed landing model and the marts the
suites read, a few rows each, with the warehouse's column names and types), so nothing here
depends on the demo warehouse or on dbt.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import great_expectations as gx
import pytest

from chargeback.validation import SUITES, ValidationRun, run_validation
from chargeback.validation.__main__ import main
from chargeback.validation.outcomes import SuiteOutcome
from chargeback.validation.report import format_run

TABLES = {
    "staging.stg_gateway__requests": """
        request_id varchar, attempt_number integer, occurred_at timestamp, period_month date,
        provider_logged varchar, model_logged varchar, status_code integer,
        input_tokens bigint, uncached_input_tokens bigint, cache_read_tokens bigint,
        cache_write_tokens bigint, cache_write_1h_tokens bigint, output_tokens bigint,
        reasoning_tokens bigint, environment_tag varchar, source_system varchar,
        source_format varchar, record_issue varchar
    """,
    "marts.fct_request_costs": """
        request_id varchar, attempt_number integer, period_month date, provider varchar,
        team_id varchar, environment varchar, cost_type varchar, is_priced boolean,
        cost_usd decimal(38, 20), input_tokens bigint, output_tokens bigint
    """,
    "marts.fct_team_chargeback": """
        period_month date, team_id varchar, product_id varchar, environment varchar,
        usage_cost decimal(38, 20), retry_cost decimal(38, 20), failed_cost decimal(38, 20),
        ledger_cost decimal(38, 20), shared_cost decimal(38, 14),
        invoice_true_up decimal(38, 14), total_charge decimal(38, 20), billing_mode varchar
    """,
    "marts.fct_invoice_reconciliation": """
        reconciliation_id varchar, billing_period_start date, provider varchar,
        has_invoice boolean, status varchar, invoice_amount decimal(38, 6),
        ledger_amount decimal(38, 20), variance decimal(38, 20)
    """,
    "marts.fct_showback_confidence": """
        period_month date, team_id varchar, attributable_share double, key_only_share double,
        conflict_share double, shared_key_share double, unpriced_share double,
        reconciliation_variance_pct double, confidence_score integer,
        is_chargeback_ready boolean
    """,
    "marts.fct_tag_completeness": """
        period_month date, team_id varchar, environment varchar,
        team_tag_request_share double, team_tag_spend_share double,
        complete_tag_request_share double, complete_tag_spend_share double
    """,
}

CLEAN_ROWS = {
    "staging.stg_gateway__requests": [
        "('r1', 1, '2026-09-01 10:00', '2026-09-01', 'openai', 'gpt-4o', 200,"
        " 1000, 800, 200, 0, 0, 200, 0, 'prod', 'gateway', 'jsonl', null)",
        "('r2', 2, '2026-09-01 10:01', '2026-09-01', 'Anthropic', 'claude-sonnet-4', 200,"
        " 400, 400, 0, 0, 0, 50, 10, 'production', 'gateway', 'jsonl', null)",
        "('r3', 1, '2026-09-02 08:00', '2026-09-01', 'openai', 'mystery-model', 503,"
        " 10, 10, 0, 0, 0, 0, 0, null, 'gateway', 'csv', null)",
        # Quarantined: a repeated id, no time, more cache reads than input. Quarantine's
        # business (fct_quarantined_records), not a validation failure.
        "('r1', 1, null, null, 'openai', 'gpt-4o', null,"
        " 10, -1, 11, 0, 0, 0, 0, 'prod', 'gateway', 'jsonl', 'cache tokens exceed input_tokens')",
    ],
    "marts.fct_request_costs": [
        "('r1', 1, '2026-09-01', 'openai', 'search', 'prod', 'usage', true, 0.0125, 1000, 200)",
        "('r2', 2, '2026-09-01', 'anthropic', 'search', 'prod', 'retry', true, 0.004, 400, 50)",
        "('r3', 1, '2026-09-01', 'openai', 'UNALLOCATED', 'unknown', 'usage', false, null, 10, 0)",
        "('r4', 1, '2026-09-01', 'openai', 'support', 'stage', 'cache_hit', true, 0, 100, 20)",
    ],
    "marts.fct_team_chargeback": [
        "('2026-09-01', 'search', 'web', 'prod',"
        " 0.0125, 0.004, 0, 0.0165, 1.25, 0.10, 1.3665, 'chargeback')",
        "('2026-09-01', 'support', 'chat', 'stage', 0, 0, 0, 0, 0.75, 0.05, 0.80, 'showback')",
        "('2026-09-01', 'UNALLOCATED', 'UNALLOCATED', 'unknown',"
        " 0, 0, 0, 0, 0, 0.02, 0.02, 'showback')",
    ],
    "marts.fct_invoice_reconciliation": [
        "('openai-2026-09', '2026-09-01', 'openai', true, 'investigate', 120, 100, 20)",
        "('anthropic-2026-09', '2026-09-01', 'anthropic', true, 'matched', 50, 50, 0)",
        "('openai-2026-10', '2026-10-01', 'openai', false, 'awaiting_invoice', null, 12.5, null)",
    ],
    "marts.fct_showback_confidence": [
        "('2026-09-01', 'search', 0.95, 0.05, 0, 0, 0, 0.4, 96, true)",
        "('2026-09-01', 'support', 0.6, 0.3, 0.1, 0, 0, null, 70, false)",
    ],
    "marts.fct_tag_completeness": [
        "('2026-09-01', 'search', 'prod', 1.0, 1.0, 0.9, 0.95)",
        "('2026-09-01', 'support', 'stage', 0.5, 0.4, 0.5, 0.4)",
    ],
}


def build_warehouse(path: Path, *changes: str) -> Path:
    """The tiny warehouse with the clean rows, then `changes` (SQL statements) applied."""
    with duckdb.connect(str(path)) as connection:
        for schema in ("staging", "marts"):
            connection.execute(f"create schema {schema}")
        for table, columns in TABLES.items():
            connection.execute(f"create table {table} ({columns})")
            connection.execute(f"insert into {table} values {', '.join(CLEAN_ROWS[table])}")
        for change in changes:
            connection.execute(change)
    return path


def validate(tmp_path: Path, *changes: str) -> ValidationRun:
    database = build_warehouse(tmp_path / "warehouse.duckdb", *changes)
    return run_validation(database, tmp_path / "data_docs", lock_timeout=0)


def outcome(run: ValidationRun, suite: str) -> SuiteOutcome:
    return next(outcome for outcome in run.outcomes if outcome.name == suite)


def failed_suites(run: ValidationRun) -> list[str]:
    return [outcome.name for outcome in run.outcomes if not outcome.success]


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> ValidationRun:
    return validate(tmp_path_factory.mktemp("clean"))


# ---------------------------------------------------------------- clean data


def test_clean_landing_data_and_marts_pass_every_suite(clean_run: ValidationRun) -> None:
    assert clean_run.success
    assert [outcome.name for outcome in clean_run.outcomes] == [spec.name for spec in SUITES]
    assert {outcome.layer for outcome in clean_run.outcomes} == {"landing", "marts"}
    for result in clean_run.outcomes:
        assert result.found and result.failures == ()
        assert result.evaluated >= 4 and result.successful == result.evaluated
    assert outcome(clean_run, "marts.fct_team_chargeback").rows == 3
    assert outcome(clean_run, "landing.gateway_requests").rows == 4


def test_every_share_column_a_mart_has_is_checked_to_lie_between_0_and_1() -> None:
    tag_completeness = next(spec for spec in SUITES if spec.name == "marts.fct_tag_completeness")
    available = [*tag_completeness.columns, "scenario_tag_spend_share", "requests"]
    share_checks = [
        expectation.column
        for expectation in tag_completeness.expectations(available)
        if isinstance(expectation, gx.expectations.ExpectColumnValuesToBeBetween)
        and (expectation.min_value, expectation.max_value) == (0, 1)
    ]
    assert share_checks == [column for column in available if column.endswith("_share")]
    assert "scenario_tag_spend_share" in share_checks


def test_quarantined_landing_rows_are_left_to_quarantine_but_would_fail_if_clean(
    clean_run: ValidationRun, tmp_path: Path
) -> None:
    # The clean warehouse holds a quarantined record with a repeated request id, no time and
    # negative uncached input: the landing suite looks at clean records only...
    assert outcome(clean_run, "landing.gateway_requests").success
    # ...the same record without its record_issue is caught on every count.
    run = validate(
        tmp_path,
        "update staging.stg_gateway__requests set record_issue = null"
        " where record_issue is not null",
    )
    failures = outcome(run, "landing.gateway_requests").failures
    assert {failure.target for failure in failures} == {
        "request_id",
        "occurred_at",
        "period_month",
        "uncached_input_tokens",
    }
    assert failed_suites(run) == ["landing.gateway_requests"]


def test_a_clean_landing_record_out_of_range_fails_the_landing_suite(tmp_path: Path) -> None:
    run = validate(
        tmp_path,
        "update staging.stg_gateway__requests set status_code = 700 where request_id = 'r3'",
        "update staging.stg_gateway__requests set environment_tag = 'PROD' where request_id = 'r2'",
    )
    assert failed_suites(run) == ["landing.gateway_requests"]
    failures = {
        failure.target: failure for failure in outcome(run, "landing.gateway_requests").failures
    }
    assert set(failures) == {"status_code", "environment_tag"}
    assert failures["status_code"].examples == ("request_id=r3: status_code=700",)
    assert "where record_issue is null" in failures["status_code"].rule
    assert failures["environment_tag"].examples == ("request_id=r2: environment_tag=PROD",)


def test_a_credit_may_take_a_teams_charge_below_zero(tmp_path: Path) -> None:
    run = validate(
        tmp_path,
        "update marts.fct_team_chargeback set invoice_true_up = -1.00, total_charge = -0.25"
        " where team_id = 'support'",
    )
    assert run.success


# ---------------------------------------------------------------- broken marts

BROKEN_MARTS = [
    pytest.param(
        "update marts.fct_team_chargeback set shared_cost = -1.00, total_charge = -0.8835"
        " where team_id = 'search'",
        "marts.fct_team_chargeback",
        "total_charge",
        "period_month=2026-09-01, team_id=search, product_id=web, environment=prod:"
        " total_charge=-0.8835",
        id="a negative charge that is not a credit",
    ),
    pytest.param(
        "update marts.fct_team_chargeback set total_charge = total_charge + 0.01"
        " where team_id = 'support'",
        "marts.fct_team_chargeback",
        "total_charge_tie_gap",
        "period_month=2026-09-01, team_id=support, product_id=chat, environment=stage:"
        " total_charge_tie_gap=0.01",
        id="total_charge is not ledger_cost + shared_cost + invoice_true_up",
    ),
    pytest.param(
        "update marts.fct_tag_completeness set team_tag_spend_share = 1.2 where team_id = 'search'",
        "marts.fct_tag_completeness",
        "team_tag_spend_share",
        "period_month=2026-09-01, team_id=search, environment=prod: team_tag_spend_share=1.2",
        id="a share above 1",
    ),
    pytest.param(
        "update marts.fct_showback_confidence set conflict_share = -0.1 where team_id = 'support'",
        "marts.fct_showback_confidence",
        "conflict_share",
        "period_month=2026-09-01, team_id=support: conflict_share=-0.1",
        id="a negative share",
    ),
    pytest.param(
        "update marts.fct_request_costs set cost_usd = 0.5 where request_id = 'r3'",
        "marts.fct_request_costs",
        "cost_usd",
        "request_id=r3: cost_usd=0.5",
        id="an unpriced request with a cost",
    ),
    pytest.param(
        "update marts.fct_request_costs set cost_usd = -0.004 where request_id = 'r2'",
        "marts.fct_request_costs",
        "cost_usd",
        "request_id=r2: cost_usd=-0.004",
        id="a negative request cost",
    ),
    pytest.param(
        "update marts.fct_request_costs set cost_type = 'bonus' where request_id = 'r4'",
        "marts.fct_request_costs",
        "cost_type",
        "request_id=r4: cost_type=bonus",
        id="an unknown cost type",
    ),
    pytest.param(
        "update marts.fct_request_costs set request_id = 'r1' where request_id = 'r2'",
        "marts.fct_request_costs",
        "request_id",
        "request_id=r1",
        id="a request counted twice",
    ),
    pytest.param(
        "update marts.fct_invoice_reconciliation set variance = 21 where provider = 'openai'",
        "marts.fct_invoice_reconciliation",
        "variance_tie_gap",
        "billing_period_start=2026-09-01, provider=openai: variance_tie_gap=1.0",
        id="a variance that is not invoice_amount - ledger_amount",
    ),
    pytest.param(
        "update marts.fct_invoice_reconciliation set status = 'settled'"
        " where provider = 'anthropic'",
        "marts.fct_invoice_reconciliation",
        "status",
        "billing_period_start=2026-09-01, provider=anthropic: status=settled",
        id="an unknown reconciliation status",
    ),
]


@pytest.mark.parametrize(("change", "suite", "column", "example"), BROKEN_MARTS)
def test_a_broken_mart_fails_its_suite_and_the_report_shows_the_offending_rows(
    tmp_path: Path, change: str, suite: str, column: str, example: str
) -> None:
    run = validate(tmp_path, change)

    assert not run.success
    assert failed_suites(run) == [suite]
    failure = next(failure for failure in outcome(run, suite).failures if failure.target == column)
    assert re.fullmatch(r"[12] of \d+ rows unexpected", failure.finding)
    assert example in failure.examples
    report = format_run(run)
    assert f"FAIL  marts   {suite} ({suite})" in report
    assert f"x {suite}.{column}:" in report
    assert f"e.g. {example}" in report
    assert "Validation FAILED: 1 of 6 suites" in report


def test_ties_are_exact_so_a_tiny_gap_on_a_large_charge_is_still_caught(tmp_path: Path) -> None:
    # In floating point 100000000.00000001 == 100000000.0; the tie is checked on the decimals.
    run = validate(
        tmp_path,
        "update marts.fct_team_chargeback set usage_cost = 100000000, retry_cost = 0,"
        " ledger_cost = 100000000, shared_cost = 0, invoice_true_up = 0,"
        " total_charge = 100000000.00000001 where team_id = 'search'",
    )
    assert failed_suites(run) == ["marts.fct_team_chargeback"]
    (failure,) = outcome(run, "marts.fct_team_chargeback").failures
    assert failure.target == "total_charge_tie_gap"
    assert failure.examples[0].endswith("total_charge_tie_gap=1e-08")


def test_a_missing_mart_fails_its_suite_and_names_the_missing_columns(tmp_path: Path) -> None:
    run = validate(tmp_path, "drop table marts.fct_tag_completeness")
    assert failed_suites(run) == ["marts.fct_tag_completeness"]
    tag_completeness = outcome(run, "marts.fct_tag_completeness")
    assert not tag_completeness.found
    schema = next(
        f for f in tag_completeness.failures if f.expectation.startswith("expect_table_columns")
    )
    assert "missing columns: complete_tag_request_share" in schema.finding
    assert "NOT FOUND" in format_run(run)


# ---------------------------------------------------------------- the command and its outputs

HOLD_WRITE_LOCK = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])  # read-write, as dbt holds it
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.close()
"""


def hold_write_lock(database: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process (like a running dbt) holding the warehouse's write lock for a while."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(database), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_warehouse_locked_by_dbt_is_waited_for_then_read(tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "warehouse.duckdb")
    holder = hold_write_lock(database, seconds=1)
    try:
        run = run_validation(database, tmp_path / "docs", lock_timeout=60)
    finally:
        holder.wait(timeout=60)
    assert run.success


def test_a_warehouse_that_stays_locked_exits_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = build_warehouse(tmp_path / "warehouse.duckdb")
    holder = hold_write_lock(database, seconds=60)
    try:
        arguments = ["--database", str(database), "--docs-dir", str(tmp_path / "docs")]
        assert main([*arguments, "--lock-timeout", "0"]) == 2
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert "is still locked after 0 s" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


def test_the_command_prints_a_line_per_suite_and_exits_1_when_an_expectation_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = build_warehouse(
        tmp_path / "warehouse.duckdb",
        "update marts.fct_request_costs set cost_type = 'bonus' where request_id = 'r4'",
    )
    arguments = ["--database", str(database), "--docs-dir", str(tmp_path / "docs")]

    assert main(arguments) == 1
    lines = capsys.readouterr().out.splitlines()
    verdicts = [line.split()[:3] for line in lines if line.startswith(("PASS", "FAIL"))]
    assert verdicts == [
        ["PASS", "landing", "landing.gateway_requests"],
        ["FAIL", "marts", "marts.fct_request_costs"],
        ["PASS", "marts", "marts.fct_team_chargeback"],
        ["PASS", "marts", "marts.fct_invoice_reconciliation"],
        ["PASS", "marts", "marts.fct_showback_confidence"],
        ["PASS", "marts", "marts.fct_tag_completeness"],
    ]


def test_the_command_exits_0_on_clean_data_and_2_without_a_warehouse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = build_warehouse(tmp_path / "warehouse.duckdb")
    docs = str(tmp_path / "docs")
    assert main(["--database", str(database), "--docs-dir", docs]) == 0
    assert "Validation passed: 6 suites" in capsys.readouterr().out
    assert main(["--database", str(tmp_path / "missing.duckdb"), "--docs-dir", docs]) == 2
    assert "no warehouse at" in capsys.readouterr().err


def test_data_docs_are_written_under_the_docs_dir_and_nowhere_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = build_warehouse(tmp_path / "warehouse.duckdb")
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)

    run = run_validation(database, Path("target/data_docs"), lock_timeout=0)

    docs = workdir / "target" / "data_docs"
    assert run.docs_index == docs / "index.html"
    index = (docs / "index.html").read_text()
    for spec in SUITES:  # GX files suite "marts.fct_x" as marts/fct_x
        layer, table = spec.name.split(".")
        assert spec.name in index
        assert (docs / "expectations" / layer / f"{table}.html").is_file()
        (page,) = (docs / "validations" / layer / table).rglob("*.html")
        assert "Expectation Validation Result" in page.read_text()
        assert spec.name in page.read_text()
    assert [path.name for path in workdir.iterdir()] == ["target"]
    assert [path.name for path in (workdir / "target").iterdir()] == ["data_docs"]


def test_the_warehouse_is_released_after_reading(tmp_path: Path) -> None:
    database = build_warehouse(tmp_path / "warehouse.duckdb")
    run_validation(database, tmp_path / "docs", lock_timeout=0)
    with duckdb.connect(str(database)) as writer:  # read-write: fails while a reader holds it
        writer.execute("create table marts.after_validation as select 1 as one")
