"""The project's git state, for the records that say what a figure was built from."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_output(directory: Path, *arguments: str) -> str | None:
    """`git <arguments>` in `directory`, its output stripped; None outside a git checkout or
    without git."""
    try:
        completed = subprocess.run(
            ["git", *arguments], cwd=directory, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return completed.stdout.strip()


def commit_of(directory: Path) -> str:
    """The checkout's commit (12 characters), marked when tracked files differ from it."""
    commit = git_output(directory, "rev-parse", "HEAD")
    if not commit:
        return "not a git checkout"
    changed = git_output(directory, "status", "--porcelain", "--untracked-files=no")
    return f"{commit[:12]}{' with uncommitted changes' if changed else ''}"
