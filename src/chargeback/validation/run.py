"""Runs the suites: read the warehouse, validate each relation with GX, build the Data Docs.

Each relation gets a dataframe asset, a batch definition, its suite, a validation definition
and a checkpoint (GX 1.x passes one runtime dataframe to a whole checkpoint run, so a
checkpoint validates one relation); all checkpoints share one run id, and the Data Docs are
built once at the end, listing every suite of the run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext

from chargeback.validation.context import SITE_NAME, create_context
from chargeback.validation.frames import prepare
from chargeback.validation.outcomes import MAX_EXAMPLES, SuiteOutcome, outcome_from
from chargeback.validation.reader import LoadedTable, read_tables
from chargeback.validation.specs import SuiteSpec
from chargeback.validation.suites import SUITES
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
        """Every expectation of every suite was met."""
        return all(outcome.success for outcome in self.outcomes)


def result_format(spec: SuiteSpec, columns: Sequence[str]) -> dict[str, Any]:
    """SUMMARY results whose example rows carry the relation's key columns."""
    keys = [column for column in spec.key_columns if column in columns]
    result: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
    if keys:
        result["unexpected_index_column_names"] = keys
    return result


def validate_table(
    context: AbstractDataContext, spec: SuiteSpec, loaded: LoadedTable, run_id: RunIdentifier
) -> SuiteOutcome:
    """Validates one relation's frame against its suite through a GX checkpoint."""
    started = time.perf_counter()
    frame = prepare(loaded.frame, spec, loaded.decimal_columns)
    asset = context.data_sources.get(DATASOURCE_NAME).add_dataframe_asset(name=spec.name)
    batch = asset.add_batch_definition_whole_dataframe(spec.name)
    suite = context.suites.add(
        gx.ExpectationSuite(
            name=spec.name, expectations=spec.expectations(loaded.available_columns)
        )
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=spec.name,
            validation_definitions=[definition],
            result_format=result_format(spec, list(frame.columns)),
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=run_id)
    validation = next(iter(result.run_results.values()))
    return outcome_from(
        name=spec.name,
        layer=spec.layer,
        relation=spec.relation,
        found=loaded.found,
        rows=len(frame),
        key_columns=spec.key_columns,
        validation=validation,
        seconds=time.perf_counter() - started,
        order=[expectation.id for expectation in suite.expectations],
    )


def run_validation(
    database: Path | None = None,
    docs_dir: Path = DEFAULT_DOCS_DIR,
    suites: Sequence[SuiteSpec] = SUITES,
    *,
    lock_timeout: float = 300.0,
) -> ValidationRun:
    """Validates every suite's relation of the warehouse and writes the Data Docs to docs_dir."""
    started = time.perf_counter()
    tables = read_tables(database or database_path(), suites, lock_timeout=lock_timeout)
    context = create_context(docs_dir)
    context.data_sources.add_pandas(DATASOURCE_NAME)
    run_id = RunIdentifier(
        run_name=f"chargeback-validation-{datetime.now(UTC):%Y%m%dT%H%M%SZ}",
        run_time=datetime.now(UTC),
    )
    outcomes = tuple(validate_table(context, spec, tables[spec.name], run_id) for spec in suites)
    context.build_data_docs(site_names=[SITE_NAME])
    return ValidationRun(
        outcomes=outcomes,
        docs_index=docs_dir.resolve() / "index.html",
        seconds=time.perf_counter() - started,
    )
