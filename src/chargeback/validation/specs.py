"""What a validation suite is: a relation, the columns it must have and the rules on them.

A suite is plain data (`SuiteSpec`); the rules keep the GX expectation class and its arguments
(`Rule`) so that every run builds fresh expectation objects. The helpers below (`not_null`,
`between`, `in_set`, ...) are the words `suites.py` is written in.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import (
    Column,
    ComparisonCondition,
    Condition,
    Operator,
)

Layer = Literal["landing", "marts"]

# Money ties are computed exactly (Decimal) and must hold to this absolute tolerance.
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Rule:
    """One expectation, as its GX class and keyword arguments (built fresh for every run)."""

    kind: type[Expectation]
    arguments: Mapping[str, Any]

    def build(self) -> Expectation:
        """A new GX expectation object for this rule."""
        return self.kind(**dict(self.arguments))


@dataclass(frozen=True)
class DerivedColumn:
    """A column computed in pandas before validation, from columns of the relation."""

    name: str
    inputs: tuple[str, ...]
    compute: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class SuiteSpec:
    """One relation of the warehouse and everything it is validated against.

    columns: the columns the relation must have (checked, and read); key_columns: the columns
    that identify a row in failure reports; derived: computed columns the rules may use;
    share_pattern: every column of the relation matching it must lie between 0 and 1.
    """

    name: str
    layer: Layer
    relation: str
    columns: tuple[str, ...]
    key_columns: tuple[str, ...]
    rules: tuple[Rule, ...]
    derived: tuple[DerivedColumn, ...] = ()
    share_pattern: str | None = None
    min_rows: int = 1

    def share_columns(self, available: Iterable[str]) -> list[str]:
        """The relation's columns that hold a share (0-1), in the relation's order."""
        if self.share_pattern is None:
            return []
        return [column for column in available if fnmatch.fnmatch(column, self.share_pattern)]

    def columns_to_read(self, available: Sequence[str]) -> list[str]:
        """The columns to load: required, keys, inputs of derived columns and share columns."""
        wanted = [*self.columns, *self.key_columns]
        for derived in self.derived:
            wanted.extend(derived.inputs)
        wanted.extend(self.share_columns(available))
        present = set(available)
        return [column for column in dict.fromkeys(wanted) if column in present]

    def expectations(self, available: Sequence[str]) -> list[Expectation]:
        """The suite's expectations: schema and row count, the rules, then the shares."""
        built: list[Expectation] = [
            gx.expectations.ExpectTableColumnsToMatchSet(
                column_set=list(self.columns), exact_match=False
            ),
            gx.expectations.ExpectTableRowCountToBeBetween(min_value=self.min_rows),
        ]
        built.extend(rule.build() for rule in self.rules)
        built.extend(between(column, 0, 1).build() for column in self.share_columns(available))
        return built


def equals(column: str, value: Any) -> Condition:
    """Row condition: the column equals the value (e.g. a boolean flag is false)."""
    return ComparisonCondition(column=Column(column), operator=Operator.EQUAL, parameter=value)


def is_null(column: str) -> Condition:
    """Row condition: the column is null."""
    return Column(column).is_null()


def at_least(column: str, value: Any) -> Condition:
    """Row condition: the column is greater than or equal to the value."""
    return Column(column) >= value


def _rule(kind: type[Expectation], where: Condition | None, **arguments: Any) -> Rule:
    if where is not None:
        arguments["row_condition"] = where
    return Rule(kind, arguments)


def not_null(*columns: str, where: Condition | None = None) -> tuple[Rule, ...]:
    """Each column has a value on every (matching) row."""
    return tuple(
        _rule(gx.expectations.ExpectColumnValuesToNotBeNull, where, column=column)
        for column in columns
    )


def null(column: str, *, where: Condition) -> Rule:
    """The column is null on every matching row."""
    return _rule(gx.expectations.ExpectColumnValuesToBeNull, where, column=column)


def unique(column: str, *, where: Condition | None = None) -> Rule:
    """No two (matching) rows share a value of the column."""
    return _rule(gx.expectations.ExpectColumnValuesToBeUnique, where, column=column)


def unique_together(*columns: str) -> Rule:
    """The columns together identify a row (the relation's grain)."""
    return _rule(gx.expectations.ExpectCompoundColumnsToBeUnique, None, column_list=list(columns))


def between(
    column: str,
    low: float | None = None,
    high: float | None = None,
    *,
    where: Condition | None = None,
) -> Rule:
    """Non-null values of the column lie in [low, high] (an open side when None)."""
    return _rule(
        gx.expectations.ExpectColumnValuesToBeBetween,
        where,
        column=column,
        min_value=low,
        max_value=high,
    )


def non_negative(*columns: str, where: Condition | None = None) -> tuple[Rule, ...]:
    """Non-null values of each column are >= 0."""
    return tuple(between(column, 0, where=where) for column in columns)


def within_tolerance(column: str, *, where: Condition | None = None) -> Rule:
    """A tie gap (see `frames.exact_gap`) is zero up to TIE_TOLERANCE."""
    return between(column, -TIE_TOLERANCE, TIE_TOLERANCE, where=where)


def in_set(column: str, values: Iterable[Any], *, where: Condition | None = None) -> Rule:
    """Non-null values of the column belong to the vocabulary."""
    return _rule(
        gx.expectations.ExpectColumnValuesToBeInSet, where, column=column, value_set=list(values)
    )


def matches(column: str, regex: str, *, where: Condition | None = None) -> Rule:
    """Non-null values of the column match the regular expression."""
    return _rule(gx.expectations.ExpectColumnValuesToMatchRegex, where, column=column, regex=regex)
