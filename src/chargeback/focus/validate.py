"""Runs the FinOps Foundation's focus-validator on exported files and reads its verdict.

The validator lives in a virtual environment of its own (requirements-focus.txt: its pins of
numpy, pandas and pyarrow conflict with the project's). It is run as its console script with
`--output-type unittest`, whose JUnit XML lists every check of the FOCUS version's rule set
with its outcome; a run with any check failed, errored or skipped is a failure, and so is a
run with no check at all. The validator opens its ISO 4217 currency list by a path relative
to its package's parent folder (focus_validator/utils/currency_codes.csv), so it is run from
that folder, with the data file's absolute path.
"""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from chargeback.focus.columns import FOCUS_VERSION

OUTCOMES = ("passed", "failed", "errored", "skipped")
PACKAGE_PARENT = (
    "import os, focus_validator; print(os.path.dirname(os.path.dirname(focus_validator.__file__)))"
)
PACKAGE_VERSION = "import importlib.metadata as m; print(m.version('focus_validator'))"


@dataclass(frozen=True)
class Check:
    """One check of the rule set and its outcome."""

    name: str
    outcome: str
    message: str


@dataclass(frozen=True)
class FileValidation:
    """The validator's verdict on one file; `details` is its console report when it failed."""

    path: Path
    checks: tuple[Check, ...]
    details: str = ""

    def count(self, outcome: str) -> int:
        """How many checks had this outcome."""
        return sum(1 for check in self.checks if check.outcome == outcome)

    @property
    def succeeded(self) -> bool:
        """Every check ran and passed."""
        return bool(self.checks) and self.count("passed") == len(self.checks)


@dataclass(frozen=True)
class Validator:
    """The focus-validator console script of a virtual environment."""

    executable: Path

    @property
    def script(self) -> Path:
        """The script's absolute path (it is run from another folder); not resolved, so that
        the interpreter beside it stays the environment's own."""
        return self.executable.absolute()

    @property
    def python(self) -> Path:
        """The environment's interpreter, beside the script."""
        return self.script.with_name("python")

    def _ask(self, code: str) -> str:
        completed = subprocess.run(
            [str(self.python), "-c", code], capture_output=True, text=True, check=True
        )
        return completed.stdout.strip()

    def package_parent(self) -> Path:
        """The folder holding the focus_validator package (its working directory)."""
        return Path(self._ask(PACKAGE_PARENT))

    def version(self) -> str:
        """The installed focus-validator version."""
        return self._ask(PACKAGE_VERSION)

    def run(self, data_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        """One validator run on a file against FOCUS_VERSION."""
        command = [
            str(self.script),
            "--data-file",
            str(data_file.resolve()),
            "--validate-version",
            FOCUS_VERSION,
            *extra,
        ]
        return subprocess.run(
            command, cwd=self.package_parent(), capture_output=True, text=True, check=False
        )


def parse_junit(xml_text: str) -> tuple[Check, ...]:
    """The checks of the validator's JUnit XML: a testcase passed unless it holds a
    failure, error or skipped element."""
    root = ET.fromstring(xml_text)
    checks = []
    for case in root.iter("testcase"):
        name = case.get("name", "").split(" :: ")[0]
        outcome, message = "passed", ""
        for tag, label in (("failure", "failed"), ("error", "errored"), ("skipped", "skipped")):
            element = case.find(tag)
            if element is not None:
                outcome, message = label, element.get("message", "")
                break
        checks.append(Check(name, outcome, message))
    return tuple(checks)


def validate_file(validator: Validator, data_file: Path) -> FileValidation:
    """Validates one file; on failure the console report (rows, example values) is kept."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "focus-validator.xml"
        completed = validator.run(
            data_file, "--output-type", "unittest", "--output-destination", str(report)
        )
        if not report.exists():
            raise RuntimeError(
                f"focus-validator wrote no report for {data_file} (exit {completed.returncode}):\n"
                f"{completed.stdout}{completed.stderr}"
            )
        checks = parse_junit(report.read_text())
    result = FileValidation(data_file, checks)
    if not result.succeeded:
        console = validator.run(data_file)
        result = FileValidation(data_file, checks, console.stdout + console.stderr)
    return result


def exported_files(folder: Path) -> list[Path]:
    """The CSV and Parquet files of an export folder, in order."""
    return sorted([*folder.glob("focus_*.csv"), *folder.glob("focus_*.parquet")])


def format_validations(validations: list[FileValidation], validator_version: str) -> str:
    """A line per file and the totals: checks run, passed, failed, errored, skipped."""
    lines = [f"focus-validator {validator_version}, FOCUS {FOCUS_VERSION} rule set"]
    for validation in validations:
        counts = ", ".join(f"{validation.count(o)} {o}" for o in OUTCOMES)
        lines.append(f"  {validation.path.name}: {len(validation.checks)} checks: {counts}")
        for check in validation.checks:
            if check.outcome != "passed":
                lines.append(f"    {check.outcome}: {check.name}: {check.message}")
        if validation.details:
            lines.append("    " + validation.details.strip().replace("\n", "\n    "))
    total = sum(len(v.checks) for v in validations)
    counts = ", ".join(f"{sum(v.count(o) for v in validations)} {o}" for o in OUTCOMES)
    lines.append(f"{len(validations)} files, {total} checks run: {counts}")
    return "\n".join(lines)
