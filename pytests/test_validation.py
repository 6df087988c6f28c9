"""Great Expectations validates the warehouse with suites generated from the dbt project.

One small demo (three months) is built once for the module; its manifest is what the suites
are generated from. A copy of its DuckDB file is then broken on purpose (a duplicated key, a
null where dbt says not null, a status outside the accepted values, a type off the contract, a
month that lost most of its requests) and validated once more.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import great_expectations as gx
import pytest

from chargeback.validation import ValidationRun, run_validation
from chargeback.validation import __main__ as command
from chargeback.validation.__main__ import main
from chargeback.validation.checks import SuitePlan
from chargeback.validation.manifest import Project, load_project
from chargeback.validation.outcomes import Failure, SuiteOutcome
from chargeback.validation.reader import connect_when_free
from chargeback.validation.report import format_run
from chargeback.validation.suites import plan_suites
from chargeback.validation.translate import NOT_TRANSLATABLE, TRANSLATORS
from harness import Warehouse

# Kinds of dbt test GX restates whenever their arguments are plain values (no Jinja).
ALWAYS_MIRRORED = {"not_null", "no_nulls_in", "unique", "accepted_values", "values_between"}
ALWAYS_MIRRORED |= {"grain_is_unique"}


@pytest.fixture(scope="module")
def demo(small_demo: Warehouse) -> Warehouse:
    return small_demo


@pytest.fixture(scope="module")
def manifest(demo: Warehouse) -> Path:
    return demo.root / "target" / "manifest.json"


@pytest.fixture(scope="module")
def project(manifest: Path) -> Project:
    return load_project(manifest)


@pytest.fixture(scope="module")
def plans(project: Project) -> dict[str, SuitePlan]:
    return {plan.name: plan for plan in plan_suites(project)}


@pytest.fixture(scope="module")
def clean_run(
    demo: Warehouse, manifest: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ValidationRun, Path]]:
    """The demo validated from a working folder of its own, Data Docs at a relative path."""
    workdir = tmp_path_factory.mktemp("workdir")
    before = Path.cwd()
    os.chdir(workdir)
    try:
        run = run_validation(demo.database, Path("target/data_docs"), manifest, lock_timeout=0)
    finally:
        os.chdir(before)
    yield run, workdir


BREAKAGES = (
    # a duplicated key of the chargeback, and a correction of the same owner and month, which
    # the dbt grain (correction_for_period) allows
    "insert into marts.fct_team_chargeback select * from marts.fct_team_chargeback"
    " where team_id = 'search' order by period_month limit 1",
    "insert into marts.fct_team_chargeback select * replace ("
    " 'Correction' as charge_class, date '2026-07-01' as correction_for_period)"
    " from marts.fct_team_chargeback where team_id = 'support' order by period_month limit 1",
    # a null where dbt says not null
    "update intermediate.int_request_costs_booked set provider = null"
    " where request_id = (select min(request_id) from marts.fct_request_costs)",
    # a status outside the accepted values
    "update marts.fct_invoice_reconciliation set status = 'settled'"
    " where provider = 'openai' and has_invoice",
    # a type off the contract
    "alter table marts.fct_team_bill_lines alter amount type double",
    # September loses most of its requests: logs went missing
    "delete from intermediate.int_request_costs_booked where period_month = date '2026-09-01'"
    " and hash(request_id) % 4 != 0",
    # October: one request in twenty-five unpriced (a model without a price, say)
    "update intermediate.int_request_costs_booked set is_priced = false,"
    " cost_price_currency = null, cost_usd = null, unpriced_reason = 'no price'"
    " where period_month = date '2026-10-01' and hash(request_id) % 25 = 0",
    # a FOCUS row of a provider the seed does not know (a dbt test of severity warn)
    "update marts.fct_focus_costs set x_provider_id = 'nobody'"
    " where x_charge_id = (select min(x_charge_id) from marts.fct_focus_costs)",
)


@pytest.fixture(scope="module")
def broken_run(
    demo: Warehouse, manifest: Path, tmp_path_factory: pytest.TempPathFactory
) -> ValidationRun:
    # the same file name: the landing views name their catalog after it
    broken = tmp_path_factory.mktemp("broken") / demo.database.name
    shutil.copy2(demo.database, broken)
    with duckdb.connect(str(broken)) as connection:
        for change in BREAKAGES:
            connection.execute(change)
    return run_validation(broken, broken.parent / "data_docs", manifest, lock_timeout=0)


def outcome(run: ValidationRun, suite: str) -> SuiteOutcome:
    return next(outcome for outcome in run.outcomes if outcome.name == suite)


def failures(run: ValidationRun, suite: str) -> dict[str, Failure]:
    return {failure.target: failure for failure in outcome(run, suite).failures}


# ---------------------------------------------------------------- generated from the dbt project


def test_every_dbt_test_on_a_validated_model_is_mirrored_or_listed_with_its_reason(
    project: Project, plans: dict[str, SuitePlan]
) -> None:
    for model in project.validated_models():
        plan = plans[f"{'marts' if model.is_mart else 'landing'}.{model.name}"]
        origins = " ".join(check.origin for check in plan.checks)
        not_mirrored = {item.test: item.reason for item in plan.not_mirrored}
        for test in project.tests_of(model):
            assert (test.name in plan.mirrored) != (test.name in not_mirrored), test.name
            if test.name in plan.mirrored:
                assert f"`{test.name}`" in origins, test.name
            else:
                assert not_mirrored[test.name].strip(), test.name
        assert list(plan.held_by_dbt) == [t.path for t in project.singular_tests_reading(model)]
    assert {plan.relation for plan in plans.values()} >= {
        model.relation for model in project.validated_models()
    }


def test_every_mart_and_the_landing_data_are_validated(
    project: Project, plans: dict[str, SuitePlan]
) -> None:
    marts = {model.name for model in project.nodes.values() if model.is_mart}
    assert "fct_team_chargeback" in marts and "dim_dates" in marts
    assert {plan.name for plan in plans.values() if plan.layer == "marts"} == {
        f"marts.{name}" for name in marts
    }
    assert "landing.stg_gateway__requests" in plans


def test_what_is_not_mirrored_is_only_what_gx_cannot_restate(
    project: Project, plans: dict[str, SuitePlan]
) -> None:
    kinds = {test.name: test.kind for test in project.tests}
    for plan in plans.values():
        for item in plan.not_mirrored:
            kind = kinds[item.test]
            assert kind not in ALWAYS_MIRRORED, item
            assert kind in NOT_TRANSLATABLE or "Jinja" in item.reason, item
    # every generic test the project uses has a translation or a stated reason: a new or
    # renamed one fails here until it gets either
    used = {test.kind for test in project.tests if test.kind}
    assert used <= set(TRANSLATORS) | set(NOT_TRANSLATABLE)


def test_the_chargeback_key_is_the_dbt_grain_with_the_correction_period(
    project: Project, plans: dict[str, SuitePlan]
) -> None:
    (grain,) = [
        test.arguments["columns"]
        for test in project.tests
        if test.kind == "grain_is_unique"
        and test.model == "model.ai_chargeback.fct_team_chargeback"
    ]
    (key,) = [
        check.arguments["column_list"]
        for check in plans["marts.fct_team_chargeback"].checks
        if check.kind is gx.expectations.ExpectCompoundColumnsToBeUnique
    ]
    assert key == list(grain)
    assert "correction_for_period" in key
    assert plans["marts.fct_team_chargeback"].key_columns == tuple(grain)


def test_each_contract_is_checked_column_by_column_with_its_type(
    project: Project, plans: dict[str, SuitePlan]
) -> None:
    chargeback = project.nodes["model.ai_chargeback.fct_team_chargeback"]
    contract = [
        check
        for check in plans["schema.columns"].checks
        if check.arguments["row_condition"].parameter == chargeback.relation
    ]
    assert {check.kind for check in contract} == {
        gx.expectations.ExpectColumnValuesToBeInSet,
        gx.expectations.ExpectColumnDistinctValuesToContainSet,
    }
    declared = contract[0].arguments["value_set"]
    assert len(declared) == len(chargeback.columns)
    first = chargeback.columns[0]
    assert declared[0] == f"1 {first.name} {first.data_type}"


def test_a_dbt_expression_is_computed_by_duckdb_and_checked_by_gx(
    plans: dict[str, SuitePlan],
) -> None:
    plan = plans["marts.fct_team_chargeback"]
    (unlogged,) = [c for c in plan.columns if c.sql.startswith("unlogged_spend = 0")]
    (where,) = [c for c in plan.columns if c.name == f"{unlogged.name}__where"]
    assert where.sql == "(team_id != 'UNALLOCATED')"
    (check,) = [c for c in plan.checks if c.arguments.get("column") == unlogged.name]
    assert check.arguments["value_set"] == [True]
    assert check.arguments["row_condition"].column.name == where.name


# ---------------------------------------------------------------- the demo passes


def test_the_demo_meets_every_expectation_and_compares_its_months(
    demo: Warehouse, clean_run: tuple[ValidationRun, Path], plans: dict[str, SuitePlan]
) -> None:
    run, _ = clean_run
    assert run.success, format_run(run)
    assert [outcome.name for outcome in run.outcomes] == list(plans)
    for result in run.outcomes:
        assert result.found and result.evaluated == len(result.plan.checks) == result.successful
    ledger_rows = demo.scalar("select count(*) from marts.fct_request_costs")
    assert outcome(run, "marts.fct_request_costs").rows == ledger_rows > 2000
    history = outcome(run, "history.ledger_by_month")
    assert history.rows == 4  # August to October, and the first hours of November
    assert history.evaluated == 4


def test_the_report_lists_what_is_not_mirrored_and_the_data_docs_show_it(
    clean_run: tuple[ValidationRun, Path], plans: dict[str, SuitePlan]
) -> None:
    run, workdir = clean_run
    # every planned suite ran, and the last line counts them
    assert {o.name for o in run.outcomes} >= set(plans)
    report = format_run(run)
    ledger = outcome(run, "marts.fct_request_costs")
    for item in ledger.plan.not_mirrored:
        assert f"  - marts.fct_request_costs: {item.test} -- {item.reason}" in report
    assert "tag_completeness_of_production_spend" in report
    assert report.splitlines()[-1].startswith(f"Validation passed: {len(run.outcomes)} suites")

    docs = workdir / "target" / "data_docs"
    assert run.docs_index == docs / "index.html"
    index = (docs / "index.html").read_text()
    for result in run.outcomes:
        layer, name = result.name.split(".")
        assert result.name in index
        (page,) = (docs / "validations" / layer / name).rglob("*.html")
        assert "Expectation Validation Result" in page.read_text()
    page = (docs / "expectations" / "marts" / "fct_request_costs.html").read_text()
    assert (
        "Not mirrored" in page and "tests/ties/assert_ledger_rows_tie_to_landed_records.sql" in page
    )
    assert sorted(path.name for path in workdir.iterdir()) == ["target"]


def test_the_warehouse_is_released_after_reading(
    demo: Warehouse, clean_run: tuple[ValidationRun, Path]
) -> None:
    with duckdb.connect(str(demo.database)) as writer:  # read-write: fails while a reader holds it
        writer.execute("create or replace table marts.after_validation as select 1 as one")
        writer.execute("drop table marts.after_validation")


# ---------------------------------------------------------------- a broken warehouse fails


def test_a_duplicated_key_fails_but_a_correction_of_the_same_month_does_not(
    broken_run: ValidationRun,
) -> None:
    assert not broken_run.success
    key = failures(broken_run, "marts.fct_team_chargeback")
    assert list(key) == ["period_month, team_id, product_id, environment, correction_for_period"]
    (example,) = key[next(iter(key))].examples
    assert "team_id=search" in example and "correction_for_period=null" in example


def test_a_null_where_dbt_says_not_null_fails_with_the_row(broken_run: ValidationRun) -> None:
    ledger = failures(broken_run, "marts.fct_request_costs")
    assert ledger["provider"].expectation == "expect_column_values_to_not_be_null"
    assert ledger["provider"].finding.startswith("1 of ")
    assert ledger["provider"].examples[0].endswith(": provider=null")
    assert "no_nulls_in_fct_request_costs_" in ledger["provider"].origin


def test_a_value_outside_the_accepted_values_fails(broken_run: ValidationRun) -> None:
    reconciliation = failures(broken_run, "marts.fct_invoice_reconciliation")
    assert set(reconciliation) == {"status"}
    assert reconciliation["status"].examples[0].endswith("status=settled")


def test_a_type_off_the_contract_fails_the_columns_suite(
    project: Project, broken_run: ValidationRun
) -> None:
    bill_lines = project.nodes["model.ai_chargeback.fct_team_bill_lines"]
    position = [column.name for column in bill_lines.columns].index("amount") + 1
    declared = bill_lines.columns[position - 1].data_type
    columns = outcome(broken_run, "schema.columns").failures
    assert {failure.rule for failure in columns} == {
        f"in its set of {len(bill_lines.columns)} values where relation == {bill_lines.relation}"
    }
    assert columns[0].examples == (
        f"relation={bill_lines.relation}, position={position}: defined_as={position} amount double",
    )
    assert columns[1].finding == f"1 missing: {position} amount {declared}"


def test_a_month_that_lost_most_of_its_requests_fails_against_the_months_before(
    broken_run: ValidationRun,
) -> None:
    history = failures(broken_run, "history.ledger_by_month")
    volume = history["requests_vs_prior_months"]
    assert not volume.is_warning and volume.rule == ">= 0.5"
    assert volume.examples[0].startswith("period_month=2026-09-01: requests_vs_prior_months=0.")


def test_a_dbt_warning_and_a_rising_unpriced_share_warn_without_failing(
    broken_run: ValidationRun,
) -> None:
    focus = outcome(broken_run, "marts.fct_focus_costs")
    assert focus.success
    (provider,) = focus.warnings
    assert provider.target == "x_provider_id" and provider.examples[0].endswith("=nobody")
    history = failures(broken_run, "history.ledger_by_month")
    rise = history["unpriced_share_rise"]
    assert rise.is_warning and rise.rule == "<= 0.0025"
    october = [e for e in rise.examples if e.startswith("period_month=2026-10-01: ")]
    assert october and float(october[0].rpartition("=")[2]) > 0.02
    report = format_run(broken_run)
    assert "WARN  marts   marts.fct_focus_costs" in report
    assert "! marts.fct_focus_costs.x_provider_id:" in report


def test_only_the_broken_suites_fail_and_the_report_names_them(broken_run: ValidationRun) -> None:
    failed = [o.name for o in broken_run.outcomes if not o.success]
    assert failed == [
        "schema.columns",
        "marts.fct_invoice_reconciliation",
        "marts.fct_request_costs",
        "marts.fct_team_chargeback",
        "history.ledger_by_month",
    ]
    report = format_run(broken_run)
    assert "FAIL  marts   marts.fct_team_chargeback (marts.fct_team_chargeback)" in report
    assert "x marts.fct_request_costs.provider: expect_column_values_to_not_be_null" in report
    assert f"Validation FAILED: 5 of {len(broken_run.outcomes)} suites" in report


# ---------------------------------------------------------------- the command

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
    database = tmp_path / "locked.duckdb"
    duckdb.connect(str(database)).close()
    holder = hold_write_lock(database, seconds=1)
    try:
        connection = connect_when_free(database, lock_timeout=60, poll_seconds=0.2)
    finally:
        holder.wait(timeout=60)
    connection.close()


def test_the_command_exits_2_with_the_reason_when_it_cannot_start(
    demo: Warehouse, manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = ["--docs-dir", str(tmp_path / "docs")]
    assert (
        main(["--database", str(tmp_path / "missing.duckdb"), "--manifest", str(manifest), *docs])
        == 2
    )
    assert "no warehouse at" in capsys.readouterr().err
    assert (
        main(["--database", str(demo.database), "--manifest", str(tmp_path / "no.json"), *docs])
        == 2
    )
    assert "run `dbt parse`" in capsys.readouterr().err
    holder = hold_write_lock(demo.database, seconds=60)
    try:
        arguments = ["--database", str(demo.database), "--manifest", str(manifest), *docs]
        assert main([*arguments, "--lock-timeout", "0"]) == 2
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert "is still locked after 0 s" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


def test_the_command_exits_1_when_a_critical_expectation_fails_and_0_otherwise(
    clean_run: tuple[ValidationRun, Path],
    broken_run: ValidationRun,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for run, code in ((broken_run, 1), (clean_run[0], 0)):
        monkeypatch.setattr(command, "run_validation", lambda *_, run=run, **__: run)
        assert main([]) == code
        assert capsys.readouterr().out.strip() == format_run(run)
