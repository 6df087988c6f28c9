"""python -m chargeback.landing --target postgres|spark: the load step before `dbt build`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

from chargeback.landing import postgres, spark
from chargeback.landing.duckdb_functions import register
from chargeback.landing.stage import stage

PROJECT_DIR = Path.cwd()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chargeback.landing",
        description=(
            "Copy the landed files' records into the landing tables of Postgres or Spark,"
            " as DuckDB's landing views read them."
        ),
    )
    parser.add_argument("--target", choices=["postgres", "spark"], required=True)
    parser.add_argument(
        "--landing-dir",
        type=Path,
        default=Path(os.environ.get("CHARGEBACK_LANDING_DIR", "data/landing")),
    )
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    parser.add_argument("--schema", default="landing", help="chargeback__landing_schema")
    arguments = parser.parse_args(argv)

    project_dir = arguments.project_dir.resolve()
    work_dir = project_dir / "warehouse" / f"landing_{arguments.target}"
    database = stage(project_dir, arguments.landing_dir, work_dir / "landed_files.duckdb")
    with register(duckdb.connect(str(database), read_only=True)) as staged:
        if arguments.target == "postgres":
            counts = postgres.load(staged, arguments.schema)
        else:
            settings = spark.session_settings(project_dir / "profiles")
            counts = spark.load(staged, arguments.schema, settings, work_dir)
    for table, count in counts.items():
        print(f"landing.{table}: {count} records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
