"""Runs a dbt command on a project with the dbt of this interpreter's environment."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

DBT = Path(sys.executable).with_name("dbt")
# How much of dbt's output a failure repeats: its end, where dbt names what failed.
OUTPUT_TAIL = 4000


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
