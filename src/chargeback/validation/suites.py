"""The suites, generated from the dbt project: the columns of every validated model against
its contract (`contracts`), one suite per validated model, and the history suites.

A model's suite holds every generic dbt test attached to it, translated by `translate`.
What is not translated is listed with its reason (`not_mirrored`), and the
singular tests that read the model are named as held by dbt (`held_by_dbt`): both are printed
and shown in the suite's Data Docs page. Nothing here names a model's columns: a new column, a
new test or a changed key reaches GX with the next `dbt parse`.
"""

from __future__ import annotations

from chargeback.validation.checks import Check, Layer, NotMirrored, SqlColumn, SuitePlan
from chargeback.validation.contracts import contracts_suite
from chargeback.validation.history import history_suites
from chargeback.validation.manifest import Model, Project
from chargeback.validation.translate import translate


def key_columns(model: Model, project: Project) -> tuple[str, ...]:
    """The model's key as its primary-key test states it: failure examples show these columns."""
    tests = project.tests_of(model)
    for test in tests:
        if test.kind == "unique" and test.column and not test.where:
            return (test.column,)
    for test in tests:
        if test.kind == "grain_is_unique":
            return tuple(test.arguments["columns"])
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
        checks=tuple(checks),
        columns=tuple(computed),
        mirrored=tuple(mirrored),
        not_mirrored=tuple(not_mirrored),
        held_by_dbt=tuple(test.path for test in project.singular_tests_reading(model)),
        description=f"Generated from the dbt model `{model.name}` ({model.yaml_path}).",
    )


def plan_suites(project: Project) -> tuple[SuitePlan, ...]:
    """The columns of every validated model, each model's suite (landing first, then the
    marts), then the history suites."""
    models = project.validated_models()
    return (
        contracts_suite(models),
        *(model_suite(model, project) for model in models),
        *history_suites(),
    )
