"""Runs a dbt command on a project with the dbt of this interpreter's environment, and makes
working copies of this repository's dbt project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

DBT = Path(sys.executable).with_name("dbt")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What dbt reads of the project: a copy of these builds as the repository does.
PROJECT_FILES = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "profiles")
# How much of dbt's output a failure repeats: its end, where dbt names what failed.
OUTPUT_TAIL = 4000


def copy_project(destination: Path, project_root: Path = PROJECT_ROOT) -> Path:
    """A copy of the dbt project (PROJECT_FILES of `project_root`, by default the checkout
    this package is installed from) in `destination`, with the empty warehouse folder its
    DuckDB file is built in."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = project_root / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    (destination / "warehouse").mkdir(exist_ok=True)
    return destination


def run_dbt(
    arguments: Sequence[str], project_dir: Path, environment: Mapping[str, str], failure: str
) -> None:
    """`dbt <arguments>` in `project_dir`; a RuntimeError starting with `failure`, followed by
    the end of dbt's output, when it fails."""
    completed = subprocess.run(
        [str(DBT), *arguments],
        cwd=project_dir,
        env=dict(environment),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        output = completed.stdout + completed.stderr
        raise RuntimeError(f"{failure}:\n{output[-OUTPUT_TAIL:]}")
