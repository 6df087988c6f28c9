"""The command's text: one summary line per suite, then each failure with example rows."""

from __future__ import annotations

from chargeback.validation.outcomes import SuiteOutcome
from chargeback.validation.run import ValidationRun


def suite_lines(outcome: SuiteOutcome) -> list[str]:
    """`PASS|FAIL layer suite (relation): met/evaluated expectations, rows, seconds`, details."""
    verdict = "PASS" if outcome.success else "FAIL"
    relation = outcome.relation if outcome.found else f"{outcome.relation}, NOT FOUND"
    lines = [
        f"{verdict}  {outcome.layer:<8}{outcome.name} ({relation}): "
        f"{outcome.successful}/{outcome.evaluated} expectations met, "
        f"{outcome.rows:,} rows, {outcome.seconds:.1f} s"
    ]
    for failure in outcome.failures:
        rule = f" {failure.rule}" if failure.rule else ""
        lines.append(
            f"      x {outcome.name}.{failure.target}: {failure.expectation}{rule}"
            f" -- {failure.finding}"
        )
        lines.extend(f"          e.g. {example}" for example in failure.examples)
    return lines


def format_run(run: ValidationRun) -> str:
    """The whole report: every suite, the Data Docs location and the verdict."""
    lines: list[str] = []
    for outcome in run.outcomes:
        lines.extend(suite_lines(outcome))
    failed = [outcome.name for outcome in run.outcomes if not outcome.success]
    expectations = sum(outcome.evaluated for outcome in run.outcomes)
    lines.append(f"Data Docs: {run.docs_index}")
    if failed:
        lines.append(
            f"Validation FAILED: {len(failed)} of {len(run.outcomes)} suites "
            f"({', '.join(failed)}), {run.seconds:.1f} s"
        )
    else:
        lines.append(
            f"Validation passed: {len(run.outcomes)} suites, {expectations} expectations, "
            f"{run.seconds:.1f} s"
        )
    return "\n".join(lines)
