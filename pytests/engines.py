"""The project built on Postgres or Spark, beside the same build on DuckDB.

An `EngineWarehouse` is a copy of the project (harness.project_copy) whose dbt commands run on
another target: before each build the load step (python -m chargeback.landing) copies the
landing folder into the engine's landing tables. Each copy has its own Postgres database or
its own Spark warehouse and metastore folder, so tests never share state. A missing engine
(no server, no pyspark) fails the test that needs it: nothing is skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chargeback.compare.marts import Mart, duckdb_marts, postgres_marts, spark_marts
from chargeback.landing.postgres import connection_settings
from harness import DbtRun, Warehouse, project_copy

TARGETS = ("postgres", "spark")


@dataclass(frozen=True)
class EngineWarehouse:
    """A project copy built on `target` (postgres or spark), or on DuckDB (dev)."""

    warehouse: Warehouse
    target: str
    environment: Mapping[str, str]

    @property
    def root(self) -> Path:
        return self.warehouse.root

    @property
    def landing(self) -> Path:
        return self.warehouse.landing

    def load(self) -> None:
        """The load step: the landing folder's records into the engine's landing tables."""
        if self.target == "dev":
            return
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "chargeback.landing",
                "--target",
                self.target,
                "--project-dir",
                str(self.root),
                "--landing-dir",
                str(self.landing),
            ],
            cwd=self.root,
            env=dict(self.environment),
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, f"load step failed:\n{completed.stderr[-4000:]}"

    def dbt(self, *arguments: str, variables: Mapping[str, Any] | None = None) -> DbtRun:
        command = [str(Path(sys.executable).with_name("dbt")), *arguments]
        if variables:
            import json

            command += ["--vars", json.dumps(dict(variables))]
        completed = subprocess.run(
            command,
            cwd=self.root,
            env=dict(self.environment),
            capture_output=True,
            text=True,
            check=False,
        )
        return DbtRun(completed.returncode, completed.stdout + completed.stderr)

    def build(
        self, variables: Mapping[str, Any] | None = None, arguments: Sequence[str] = ("build",)
    ) -> DbtRun:
        """The load step, then a dbt command that must succeed; prints what each took."""
        started = time.monotonic()
        self.load()
        loaded = time.monotonic()
        run = self.dbt(*arguments, variables=variables)
        print(
            f"{self.target}: load {loaded - started:.0f} s,"
            f" dbt {' '.join(arguments)} {time.monotonic() - loaded:.0f} s",
            flush=True,
        )
        summary = [line for line in run.output.splitlines() if "ERROR" in line or "FAIL" in line]
        assert run.succeeded, (
            f"dbt {' '.join(arguments)} on {self.target} failed:\n"
            + "\n".join(summary[-40:])
            + "\n"
            + run.output[-3000:]
        )
        return run

    def marts(self) -> dict[str, Mart]:
        """Every mart of this copy's warehouse, read through the engine's own client."""
        if self.target == "postgres":
            return postgres_marts(connection_settings({**os.environ, **self.environment}))
        if self.target == "spark":
            return spark_marts(
                self.root, self.root / "warehouse" / "marts.pickle", self.environment
            )
        return duckdb_marts(self.warehouse.database)


def _postgres_database(environment: Mapping[str, str]) -> str:
    """A new, empty database on the test server for one project copy."""
    import psycopg2

    name = f"chargeback_{uuid.uuid4().hex[:12]}"
    settings = connection_settings({**os.environ, **environment})
    connection = psycopg2.connect(**{**settings, "dbname": "postgres"})
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"create database {name}")
    finally:
        connection.close()
    return name


def engine_copy(
    tmp_path: Path,
    target: str,
    seeds: Mapping[str, str] | None = None,
    landing: Path | None = None,
) -> EngineWarehouse:
    """A project copy in tmp_path whose dbt commands run on `target` (dev, postgres, spark),
    reading its own landing folder or `landing` (the ledger names each record's file, so
    copies compared row by row must read the same folder)."""
    warehouse = project_copy(tmp_path, seeds=seeds)
    if landing is not None:
        warehouse = Warehouse(root=warehouse.root, landing=landing)
    environment = {
        **os.environ,
        "DBT_PROFILES_DIR": str(warehouse.root / "profiles"),
        "CHARGEBACK_LANDING_DIR": str(warehouse.landing),
        "CHARGEBACK_DUCKDB_PATH": str(warehouse.database),
        "CHARGEBACK_TARGET": target,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_LOG_LEVEL_FILE": "none",
    }
    if target == "postgres":
        environment["CHARGEBACK_PG_DATABASE"] = _postgres_database(environment)
    elif target == "spark":
        environment["CHARGEBACK_SPARK_DIR"] = str(warehouse.root / "warehouse" / "spark")
    elif target != "dev":
        raise ValueError(f"unknown target {target!r}")
    return EngineWarehouse(warehouse, target, environment)
