"""Copies the staged landing relations into Spark tables of the same shape (all strings).

The session is configured like the profile's spark target (its server_side_parameters), so
that the tables land in the warehouse and metastore dbt then reads. DuckDB writes each
relation as a Parquet file of text columns, which Spark's own reader loads.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import yaml

from chargeback.landing.stage import landed_tables

PROFILE = "ai_chargeback"


def session_settings(
    profiles_dir: Path, environment: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """The spark target's server_side_parameters, rendered as dbt renders them."""

    def env_var(name: str, default: str | None = None) -> str:
        if name in environment:
            return environment[name]
        if default is None:
            raise KeyError(f"environment variable {name} is not set")
        return default

    text = (profiles_dir / "profiles.yml").read_text()
    rendered = jinja2.Environment().from_string(text).render(env_var=env_var)
    outputs = yaml.safe_load(rendered)[PROFILE]["outputs"]
    return {
        str(key): str(value) for key, value in outputs["spark"]["server_side_parameters"].items()
    }


def session(settings: Mapping[str, str]) -> Any:
    """A local Spark session with the target's settings and Hive support (its metastore)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def load(
    staged: duckdb.DuckDBPyConnection, schema: str, settings: Mapping[str, str], work_dir: Path
) -> dict[str, int]:
    """Replaces every landing table of `schema` with the staged relation; rows per table."""
    files = work_dir / "landing_files"
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir(parents=True)
    tables = landed_tables(staged, schema)
    for table in tables:
        staged.execute(
            f'copy (select * from "{schema}"."{table.name}") to \'{files / table.name}.parquet\''
            " (format parquet)"
        )
    spark = session(settings)
    counts: dict[str, int] = {}
    try:
        spark.sql(f"create database if not exists {schema}")
        for table in tables:
            frame = spark.read.parquet(str(files / f"{table.name}.parquet"))
            frame.write.mode("overwrite").format("parquet").saveAsTable(f"{schema}.{table.name}")
            counts[table.name] = spark.table(f"{schema}.{table.name}").count()
    finally:
        spark.stop()
    return counts
