"""The project's analyses, compiled by dbt into SQL the pack runs against the warehouse."""

from __future__ import annotations

import os
from pathlib import Path

from chargeback.dbt_command import run_dbt

PROJECT_NAME = "ai_chargeback"


def compile_analyses(project_dir: Path) -> Path:
    """Runs `dbt compile` on the analyses and returns the folder of their compiled SQL. It
    writes no run_results.json or manifest.json (--no-write-json): target/ keeps the record
    of the build the pack reports on (header.last_dbt_run)."""
    environment = {"DBT_PROFILES_DIR": str(project_dir / "profiles"), **os.environ}
    run_dbt(
        ["compile", "--select", "resource_type:analysis", "--quiet", "--no-write-json"],
        project_dir,
        environment,
        "dbt compile of the analyses failed",
    )
    return project_dir / "target" / "compiled" / PROJECT_NAME / "analyses"


def analysis_sql(compiled_dir: Path, name: str) -> str:
    """The compiled SQL of analyses/<name>.sql, without a trailing semicolon."""
    path = compiled_dir / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no compiled analysis {path}: was it compiled?")
    return path.read_text().strip().rstrip(";")
