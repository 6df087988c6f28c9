"""dbt data tests as GX expectations: one translation per kind of generic test.

| dbt test                               | GX expectation                                        |
|----------------------------------------|-------------------------------------------------------|
| not_null                               | expect_column_values_to_not_be_null                   |
| no_nulls_in (a list of columns)        | expect_column_values_to_not_be_null, one per column   |
| unique                                 | expect_column_values_to_be_unique                     |
| accepted_values                        | expect_column_values_to_be_in_set                     |
| relationships (to a seed)              | expect_column_values_to_be_in_set, the seed's values  |
| grain_is_unique                        | expect_compound_columns_to_be_unique (nulls compared) |
| values_between                         | expect_column_values_to_be_between                    |
| holds_for_every_row                    | the expression as a computed column, expected true    |

A `where` (config, or holds_for_every_row's where_clause) becomes a computed boolean column
and the expectation's row condition. Severity warn becomes GX severity warning. Every other
test is `NotMirrored` with its reason; singular tests (tests/**/*.sql) stay dbt's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import great_expectations as gx

from chargeback.validation.checks import Check, NotMirrored, SqlColumn, Translation
from chargeback.validation.manifest import DataTest, Project

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
DEFAULT_THRESHOLDS = {"fail_calc": "count(*)", "warn_if": "!= 0", "error_if": "!= 0"}

Translator = Callable[[DataTest, Project], Translation | str]


def _one(test: DataTest, kind: type, note: str = "", **arguments: Any) -> Translation:
    """The test as one expectation of the given class."""
    check = Check(
        kind=kind,
        arguments=arguments,
        origin=f"dbt test `{test.name}` ({test.path})",
        severity="warning" if test.severity == "warn" else "critical",
        note=note,
    )
    return Translation((check,))


def not_null(test: DataTest, project: Project) -> Translation:
    return _one(test, gx.expectations.ExpectColumnValuesToNotBeNull, column=test.column)


def no_nulls_in(test: DataTest, project: Project) -> Translation:
    checks = (
        _one(test, gx.expectations.ExpectColumnValuesToNotBeNull, column=column).checks[0]
        for column in test.arguments["columns"]
    )
    return Translation(tuple(checks))


def unique(test: DataTest, project: Project) -> Translation:
    return _one(test, gx.expectations.ExpectColumnValuesToBeUnique, column=test.column)


def accepted_values(test: DataTest, project: Project) -> Translation:
    values = list(test.arguments["values"])
    return _one(
        test, gx.expectations.ExpectColumnValuesToBeInSet, column=test.column, value_set=values
    )


def relationships(test: DataTest, project: Project) -> Translation | str:
    parents = [node for node in test.depends_on if node != test.model]
    parent = project.nodes.get(parents[0]) if len(parents) == 1 else None
    if parent is None or not parent.unique_id.startswith("seed."):
        return "its parent is not a seed: a model's keys as a value set would copy a table"
    field = str(test.arguments["field"])
    translated = _one(
        test,
        gx.expectations.ExpectColumnValuesToBeInSet,
        note=f"The values of {parent.relation}.{field}, read at run time.",
        column=test.column,
    )
    return Translation((replace(translated.checks[0], value_set_from=(parent.relation, field)),))


def grain_is_unique(test: DataTest, project: Project) -> Translation:
    # GROUP BY puts nulls in one group: a null in a key column does not make a row unique.
    return _one(
        test,
        gx.expectations.ExpectCompoundColumnsToBeUnique,
        column_list=list(test.arguments["columns"]),
        ignore_row_if="never",
    )


def values_between(test: DataTest, project: Project) -> Translation:
    strict = not test.arguments.get("inclusive", True)
    return _one(
        test,
        gx.expectations.ExpectColumnValuesToBeBetween,
        column=test.column,
        min_value=test.arguments.get("min_value"),
        max_value=test.arguments.get("max_value"),
        strict_min=strict,
        strict_max=strict,
    )


def holds_for_every_row(test: DataTest, project: Project) -> Translation:
    expression = " ".join(str(test.arguments["expression"]).split())
    computed = SqlColumn(test.name, expression)
    rows = _row_filter(test)
    translated = _one(
        test,
        gx.expectations.ExpectColumnValuesToBeInSet,
        note="The expression is computed by DuckDB on each row; null counts as false.",
        column=computed.name,
        value_set=[True],
    )
    where = f" where {rows.sql}" if rows else ""
    check = replace(translated.checks[0], description=f"Every row{where}: {expression}")
    return Translation((check,), (computed,))


NOT_TRANSLATABLE = {
    "tag_completeness": "a share of spend per month over many rows, not a rule on rows or columns",
    "fx_rates_available": "it needs the FX rate calendar (seed fx_rates, carried forward)",
    "non_overlapping_ranges": "it compares rows with each other (validity ranges of one key)",
}

TRANSLATORS: Mapping[str, Translator] = {
    "not_null": not_null,
    "no_nulls_in": no_nulls_in,
    "unique": unique,
    "accepted_values": accepted_values,
    "relationships": relationships,
    "grain_is_unique": grain_is_unique,
    "values_between": values_between,
    "holds_for_every_row": holds_for_every_row,
}


def _jinja_in(value: Any) -> str | None:
    """The first Jinja tag in a test's argument (at any depth), e.g. `{{ type_share() }}`."""
    if isinstance(value, str):
        found = JINJA.search(value)
        return " ".join(found.group(0).split()) if found else None
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return next(filter(None, (_jinja_in(item) for item in value)), None)
    return None


def _row_filter(test: DataTest) -> SqlColumn | None:
    """The rows the test looks at, as a computed column; None when it looks at every row."""
    conditions = [f"({sql})" for sql in (test.where, test.arguments.get("where_clause")) if sql]
    if not conditions:
        return None
    return SqlColumn(f"{test.name}__where", " and ".join(" ".join(c.split()) for c in conditions))


def translate(test: DataTest, project: Project) -> Translation | NotMirrored:
    """The GX checks that restate the dbt test, or why there are none."""

    def not_mirrored(reason: str) -> NotMirrored:
        return NotMirrored(test=test.name, path=test.path, reason=reason)

    kind = test.kind or "singular"
    if kind in NOT_TRANSLATABLE:
        return not_mirrored(NOT_TRANSLATABLE[kind])
    if kind not in TRANSLATORS:
        return not_mirrored(f"no translation for the generic test `{kind}`")
    jinja = _jinja_in([dict(test.arguments), test.where])
    if jinja:
        return not_mirrored(f"its arguments use Jinja ({jinja}), which only dbt renders")
    if {key: test.thresholds.get(key) for key in DEFAULT_THRESHOLDS} != DEFAULT_THRESHOLDS:
        return not_mirrored("it fails on a count threshold (fail_calc, warn_if, error_if)")
    translated = TRANSLATORS[kind](test, project)
    if isinstance(translated, str):
        return not_mirrored(translated)
    row_filter = _row_filter(test)
    if row_filter is None:
        return translated
    return Translation(
        checks=tuple(check.where(row_filter) for check in translated.checks),
        columns=(*translated.columns, row_filter),
    )
