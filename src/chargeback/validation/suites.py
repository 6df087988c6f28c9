"""The suites, generated from the dbt project: one per validated model, plus the history suites.

A model's suite holds its contract (the columns in order, their data types) or, without a
contract, its documented columns; then every generic dbt test attached to it, translated by
`translate`. What is not translated is listed with its reason (`not_mirrored`), and the
singular tests that read the model are named as held by dbt (`held_by_dbt`): both are printed
and shown in the suite's Data Docs page. Nothing here names a model's columns: a new column, a
new test or a changed key reaches GX with the next `dbt parse`.
"""

from __future__ import annotations

import great_expectations as gx

from chargeback.validation.checks import Check, Layer, NotMirrored, SqlColumn, SuitePlan
from chargeback.validation.datatypes import ExpectColumnsToHaveDataTypes
from chargeback.validation.history import history_suites
from chargeback.validation.manifest import Model, Project
from chargeback.validation.translate import translate


def schema_checks(model: Model, computed: list[SqlColumn]) -> list[Check]:
    """The contract's columns in order and their data types; else the documented columns."""
    if model.contract_enforced:
        typed = {c.name: c.data_type for c in model.columns if c.data_type}
        origin = f"the dbt contract of `{model.name}` ({model.yaml_path})"
        return [
            Check(
                gx.expectations.ExpectTableColumnsToMatchOrderedList,
                {
                    "column_list": [column.name for column in model.columns]
                    + [c.name for c in computed]
                },
                origin,
                note="The contract's columns, then the ones computed for dbt tests written in SQL.",
            ),
            Check(
                ExpectColumnsToHaveDataTypes,
                {"column_types": typed},
                origin,
                description="Columns of the data types of the contract: "
                + ", ".join(f"{name} {data_type}" for name, data_type in typed.items()),
            ),
        ]
    if not model.columns:
        return []
    return [
        Check(
            gx.expectations.ExpectTableColumnsToMatchSet,
            {"column_set": [column.name for column in model.columns], "exact_match": False},
            f"the documented columns of `{model.name}` ({model.yaml_path})",
        )
    ]


def key_columns(model: Model, project: Project) -> tuple[str, ...]:
    """The model's key as its primary-key test states it: failure examples show these columns."""
    tests = project.tests_of(model)
    for test in tests:
        if test.kind == "unique" and test.column and not test.where:
            return (test.column,)
    for test in tests:
        if test.kind == "unique_combination_of_columns":
            return tuple(test.arguments["combination_of_columns"])
    return ()


def model_suite(model: Model, project: Project) -> SuitePlan:
    """The suite of one model: its schema, then each of its dbt tests or why it is not there."""
    checks: list[Check] = []
    computed: list[SqlColumn] = []
    mirrored: list[str] = []
    not_mirrored: list[NotMirrored] = []
    for test in project.tests_of(model):
        translated = translate(test, project)
        if isinstance(translated, NotMirrored):
            not_mirrored.append(translated)
            continue
        checks.extend(translated.checks)
        computed.extend(translated.columns)
        mirrored.append(test.name)
    layer: Layer = "marts" if model.is_mart else "landing"
    return SuitePlan(
        name=f"{layer}.{model.name}",
        layer=layer,
        relation=model.relation,
        key_columns=key_columns(model, project),
        checks=(*schema_checks(model, computed), *checks),
        columns=tuple(computed),
        mirrored=tuple(mirrored),
        not_mirrored=tuple(not_mirrored),
        held_by_dbt=tuple(test.path for test in project.singular_tests_reading(model)),
        description=f"Generated from the dbt model `{model.name}` ({model.yaml_path}).",
    )


def plan_suites(project: Project) -> tuple[SuitePlan, ...]:
    """Every validated model's suite (landing first, then the marts), then the history suites."""
    models = tuple(model_suite(model, project) for model in project.validated_models())
    return (*models, *history_suites())
