"""The project's analyses, compiled by dbt into SQL the pack runs against the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_NAME = "ai_chargeback"


def compile_analyses(project_dir: Path) -> Path:
    """Runs `dbt compile` on the analyses and returns the folder of their compiled SQL."""
    dbt = Path(sys.executable).with_name("dbt")
    environment = {"DBT_PROFILES_DIR": str(project_dir / "profiles"), **os.environ}
    completed = subprocess.run(
        [str(dbt), "compile", "--select", "resource_type:analysis", "--quiet"],
        cwd=project_dir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"dbt compile of the analyses failed:\n{completed.stdout}{completed.stderr}"
        )
    return project_dir / "target" / "compiled" / PROJECT_NAME / "analyses"


def analysis_sql(compiled_dir: Path, name: str) -> str:
    """The compiled SQL of analyses/<name>.sql, without a trailing semicolon."""
    path = compiled_dir / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no compiled analysis {path}: was it compiled?")
    return path.read_text().strip().rstrip(";")
