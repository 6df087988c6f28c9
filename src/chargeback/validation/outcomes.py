"""What a suite's validation found, distilled from GX results into plain, printable data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
from great_expectations.expectations.metadata_types import FailureSeverity

from chargeback.validation.checks import SuitePlan

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Failure:
    """One unmet expectation: what was expected of what, what was found, example rows."""

    expectation: str
    target: str
    rule: str
    finding: str
    examples: tuple[str, ...]
    severity: str
    origin: str

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite on one relation (errors: what could not be read)."""

    plan: SuitePlan
    found: bool
    rows: int
    evaluated: int
    successful: int
    failures: tuple[Failure, ...]
    errors: tuple[str, ...]
    seconds: float

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def critical_failures(self) -> tuple[Failure, ...]:
        return tuple(failure for failure in self.failures if not failure.is_warning)

    @property
    def warnings(self) -> tuple[Failure, ...]:
        return tuple(failure for failure in self.failures if failure.is_warning)

    @property
    def success(self) -> bool:
        """Every critical expectation of the suite was met (warnings may have failed)."""
        return self.found and not self.errors and not self.critical_failures


def show(value: Any) -> str:
    """A value as a report shows it: dates without midnight, floats without numpy noise."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "null"
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def describe_condition(condition: Any, computed: Mapping[str, str]) -> str:
    """A row condition (`column == value`, object or serialised) as text; a computed column
    is shown as the SQL it holds."""
    if condition is None:
        return ""
    if not isinstance(condition, Mapping):
        condition = condition.dict()
    column = condition.get("column", {}).get("name", "?")
    if column in computed:
        return computed[column]
    return f"{column} {condition.get('operator')} {show(condition.get('parameter'))}"


def describe_rule(kwargs: Mapping[str, Any], computed: Mapping[str, str]) -> str:
    """The parameters of an expectation in words (range, vocabulary, SQL, condition)."""
    words: list[str] = []
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None and high is not None:
        words.append(f"between {show(low)} and {show(high)}")
    elif low is not None:
        words.append(f">= {show(low)}")
    elif high is not None:
        words.append(f"<= {show(high)}")
    if kwargs.get("column") in computed:
        words.append(f"`{computed[kwargs['column']]}` holds")
    elif kwargs.get("value_set") is not None:
        values = sorted(map(str, kwargs["value_set"]))
        words.append(f"in {values}" if len(values) <= 12 else f"in its set of {len(values)} values")
    condition = describe_condition(kwargs.get("row_condition"), computed)
    if condition:
        words.append(f"where {condition}")
    return " ".join(words)


def _exception_message(exception_info: Any) -> str | None:
    """The first exception message GX recorded for an expectation, if any."""
    if not isinstance(exception_info, Mapping):
        return None
    candidates = [exception_info, *exception_info.values()]
    for info in candidates:
        if isinstance(info, Mapping) and info.get("raised_exception"):
            return str(info.get("exception_message"))
    return None


def _finding(result: Mapping[str, Any], error: str | None) -> str:
    if error is not None:
        return f"could not be evaluated: {error}"
    if result.get("missing_count"):
        missing = ", ".join(map(str, result.get("partial_missing_list", [])[:MAX_EXAMPLES]))
        return f"{result['missing_count']} missing: {missing}"
    if "unexpected_count" in result:
        count, total = result["unexpected_count"], result.get("element_count")
        return f"{count} of {total} rows unexpected"
    return f"observed {show(result.get('observed_value'))}"


def _examples(
    result: Mapping[str, Any], key_columns: Sequence[str], computed: Mapping[str, str]
) -> tuple[str, ...]:
    """Example failing rows: key columns, then the offending value(s) (a computed column's
    value, always false, is left out: the rule names the SQL)."""
    rows = result.get("partial_unexpected_index_list") or []
    if rows and isinstance(rows[0], Mapping):
        examples = []
        for row in rows[:MAX_EXAMPLES]:
            keys = ", ".join(
                f"{column}={show(row[column])}" for column in key_columns if column in row
            )
            values = ", ".join(
                f"{column}={show(value)}"
                for column, value in row.items()
                if column not in key_columns and column not in computed
            )
            examples.append(f"{keys}: {values}" if keys and values else keys or values)
        return tuple(dict.fromkeys(examples))
    values = result.get("partial_unexpected_list") or []
    return tuple(dict.fromkeys(f"value={show(value)}" for value in values[:MAX_EXAMPLES]))


def failure_from(
    result: ExpectationValidationResult, key_columns: Sequence[str], computed: Mapping[str, str]
) -> Failure:
    """A Failure from one unmet GX expectation result."""
    config = result.expectation_config
    kwargs = dict(config.kwargs) if config is not None else {}
    expectation = config.type if config is not None else "unknown expectation"
    target = kwargs.get("column") or ", ".join(kwargs.get("column_list", [])[:8]) or "table"
    details: Mapping[str, Any] = result.result or {}
    return Failure(
        expectation=expectation,
        target=str(target),
        rule=describe_rule(kwargs, computed),
        finding=_finding(details, _exception_message(result.exception_info)),
        examples=_examples(details, key_columns, computed),
        severity=FailureSeverity(getattr(config, "severity", None) or "critical").value,
        origin=str((config.meta or {}).get("origin", "")) if config is not None else "",
    )


def outcome_from(
    plan: SuitePlan,
    *,
    found: bool,
    rows: int,
    key_columns: Sequence[str],
    validation: ExpectationSuiteValidationResult,
    errors: Sequence[str],
    seconds: float,
    order: Sequence[str | None] = (),
) -> SuiteOutcome:
    """A SuiteOutcome from GX's validation result; failures in `order` (the suite's ids)."""
    failed = [result for result in validation.results if not result.success]
    position = {expectation_id: index for index, expectation_id in enumerate(order)}
    failed.sort(key=lambda result: position.get(_expectation_id(result), len(position)))
    computed = {column.name: column.sql for column in plan.columns}
    statistics = validation.statistics
    return SuiteOutcome(
        plan=plan,
        found=found,
        rows=rows,
        evaluated=int(statistics.get("evaluated_expectations", 0)),
        successful=int(statistics.get("successful_expectations", 0)),
        failures=tuple(failure_from(result, key_columns, computed) for result in failed),
        errors=tuple(errors),
        seconds=seconds,
    )


def _expectation_id(result: ExpectationValidationResult) -> str | None:
    config = result.expectation_config
    return config.id if config is not None else None
