"""Runs the suites: plan them from the manifest, read the warehouse, validate, build Data Docs.

Each relation gets a dataframe asset, a batch definition, its suite, a validation definition
and a checkpoint (GX 1.x passes one runtime dataframe to a whole checkpoint run, so a
checkpoint validates one relation); all checkpoints share one run id, and the Data Docs are
built once at the end, listing every suite of the run.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext

from chargeback.validation.checks import SuitePlan
from chargeback.validation.context import SITE_NAME, create_context
from chargeback.validation.manifest import DEFAULT_MANIFEST, load_project
from chargeback.validation.outcomes import MAX_EXAMPLES, SuiteOutcome, outcome_from
from chargeback.validation.reader import LoadedTable, read_tables
from chargeback.validation.suites import plan_suites
from chargeback.warehouse import database_path

DEFAULT_DOCS_DIR = Path("target/data_docs")
DATASOURCE_NAME = "chargeback_warehouse"


@dataclass(frozen=True)
class ValidationRun:
    """Every suite's outcome, where the Data Docs are, and how long the run took."""

    outcomes: tuple[SuiteOutcome, ...]
    docs_index: Path
    seconds: float

    @property
    def success(self) -> bool:
        """Every critical expectation of every suite was met."""
        return all(outcome.success for outcome in self.outcomes)


def result_format(plan: SuitePlan, columns: Sequence[str]) -> dict[str, Any]:
    """SUMMARY results whose example rows carry the relation's key columns."""
    keys = [column for column in plan.key_columns if column in columns]
    result: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
    if keys:
        result["unexpected_index_column_names"] = keys
    return result


def suite_notes(plan: SuitePlan) -> list[str]:
    """What the suite's Data Docs page says of its origin and of the dbt tests it leaves out."""
    notes = [plan.description] if plan.description else []
    if plan.mirrored:
        notes.append(f"Mirrors {len(plan.mirrored)} dbt tests: {', '.join(plan.mirrored)}.")
    if plan.not_mirrored:
        notes.append(
            "**Not mirrored** (held by dbt only):\n"
            + "\n".join(
                f"- `{item.test}` ({item.path}): {item.reason}" for item in plan.not_mirrored
            )
        )
    if plan.held_by_dbt:
        notes.append(
            "**Held by dbt** (singular tests that read this relation):\n"
            + "\n".join(f"- {path}" for path in plan.held_by_dbt)
        )
    return notes


def validate_table(
    context: AbstractDataContext,
    plan: SuitePlan,
    loaded: LoadedTable,
    value_sets: Mapping[tuple[str, str], Sequence[Any]],
    run_id: RunIdentifier,
) -> SuiteOutcome:
    """Validates one relation's frame against its suite through a GX checkpoint."""
    started = time.perf_counter()
    asset = context.data_sources.get(DATASOURCE_NAME).add_dataframe_asset(name=plan.name)
    batch = asset.add_batch_definition_whole_dataframe(plan.name)
    suite = context.suites.add(
        gx.ExpectationSuite(
            name=plan.name,
            expectations=[check.build(value_sets) for check in plan.checks],
            notes=suite_notes(plan),
        )
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=plan.name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=plan.name,
            validation_definitions=[definition],
            result_format=result_format(plan, list(loaded.frame.columns)),
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": loaded.frame}, run_id=run_id)
    return outcome_from(
        plan,
        found=loaded.found,
        rows=len(loaded.frame),
        key_columns=plan.key_columns,
        validation=next(iter(result.run_results.values())),
        errors=loaded.errors,
        seconds=time.perf_counter() - started,
        order=[expectation.id for expectation in suite.expectations],
    )


def run_validation(
    database: Path | None = None,
    docs_dir: Path = DEFAULT_DOCS_DIR,
    manifest: Path = DEFAULT_MANIFEST,
    *,
    lock_timeout: float = 300.0,
) -> ValidationRun:
    """Validates the warehouse against the suites generated from the dbt manifest; writes the
    Data Docs to docs_dir."""
    started = time.perf_counter()
    plans = plan_suites(load_project(manifest))
    reading = read_tables(database or database_path(), plans, lock_timeout=lock_timeout)
    context = create_context(docs_dir)
    context.data_sources.add_pandas(DATASOURCE_NAME)
    run_id = RunIdentifier(
        run_name=f"chargeback-validation-{datetime.now(UTC):%Y%m%dT%H%M%SZ}",
        run_time=datetime.now(UTC),
    )
    outcomes = tuple(
        validate_table(context, plan, reading.tables[plan.name], reading.value_sets, run_id)
        for plan in plans
    )
    context.build_data_docs(site_names=[SITE_NAME])
    return ValidationRun(
        outcomes=outcomes,
        docs_index=docs_dir.resolve() / "index.html",
        seconds=time.perf_counter() - started,
    )
