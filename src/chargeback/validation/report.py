"""The command's text: a line per suite, each failure with example rows, what is not mirrored."""

from __future__ import annotations

from chargeback.validation.outcomes import Failure, SuiteOutcome
from chargeback.validation.run import ValidationRun


def failure_lines(outcome: SuiteOutcome, failure: Failure) -> list[str]:
    mark = "!" if failure.is_warning else "x"
    rule = f" {failure.rule}" if failure.rule else ""
    lines = [
        f"      {mark} {outcome.name}.{failure.target}: {failure.expectation}{rule}"
        f" -- {failure.finding}"
    ]
    lines.extend(f"          e.g. {example}" for example in failure.examples)
    return lines


def suite_lines(outcome: SuiteOutcome) -> list[str]:
    """`PASS|WARN|FAIL layer suite (relation): met/evaluated, rows, seconds; dbt`, details."""
    plan = outcome.plan
    verdict = "FAIL" if not outcome.success else "WARN" if outcome.warnings else "PASS"
    relation = plan.relation if outcome.found else f"{plan.relation}, NOT FOUND"
    dbt = ""
    if plan.layer in ("landing", "marts"):
        dbt = (
            f"; dbt tests: {len(plan.mirrored)} mirrored, {len(plan.not_mirrored)} not,"
            f" {len(plan.held_by_dbt)} singular held by dbt"
        )
    lines = [
        f"{verdict}  {plan.layer:<8}{plan.name} ({relation}): "
        f"{outcome.successful}/{outcome.evaluated} expectations met, "
        f"{outcome.rows:,} rows, {outcome.seconds:.1f} s{dbt}"
    ]
    lines.extend(f"      x could not compute {error}" for error in outcome.errors)
    for failure in outcome.failures:
        lines.extend(failure_lines(outcome, failure))
    return lines


def not_mirrored_lines(run: ValidationRun) -> list[str]:
    """Every dbt test of the validated models that GX does not restate, with the reason."""
    items = [(o.name, item) for o in run.outcomes for item in o.plan.not_mirrored]
    if not items:
        return []
    lines = [f"Not mirrored in GX ({len(items)} dbt tests, held by dbt only):"]
    lines.extend(f"  - {suite}: {item.test} -- {item.reason}" for suite, item in items)
    return lines


def format_run(run: ValidationRun) -> str:
    """The whole report: every suite, what is not mirrored, the Data Docs and the verdict."""
    lines: list[str] = []
    for outcome in run.outcomes:
        lines.extend(suite_lines(outcome))
    lines.extend(not_mirrored_lines(run))
    failed = [outcome.name for outcome in run.outcomes if not outcome.success]
    warned = sum(len(outcome.warnings) for outcome in run.outcomes)
    expectations = sum(outcome.evaluated for outcome in run.outcomes)
    lines.append(f"Data Docs: {run.docs_index}")
    if failed:
        lines.append(
            f"Validation FAILED: {len(failed)} of {len(run.outcomes)} suites "
            f"({', '.join(failed)}), {run.seconds:.1f} s"
        )
    else:
        lines.append(
            f"Validation passed: {len(run.outcomes)} suites, {expectations} expectations"
            f"{f', {warned} warnings' if warned else ''}, {run.seconds:.1f} s"
        )
    return "\n".join(lines)
