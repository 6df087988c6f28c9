"""`python -m chargeback.focus export|validate`: the FOCUS 1.0 export and its validation.

export    writes marts.fct_focus_costs as one CSV and one Parquet file per billing period
          (focus_1.0_<YYYY-MM>.csv/.parquet) and a manifest.json, after a build;
validate  runs the FinOps Foundation's focus-validator (its own virtual environment,
          `make focus`) on every exported file; exits 1 when any check fails, errors or is
          skipped, 2 when there is nothing to validate.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from chargeback.export_command import print_export
from chargeback.focus.export import export_periods, format_exports
from chargeback.focus.validate import (
    Validator,
    exported_files,
    format_validations,
    validate_file,
)

DEFAULT_DIR = Path("exports/focus")


def parse_period(text: str) -> date:
    """'2026-10' as the first day of that month."""
    try:
        year, month = (int(part) for part in text.strip().split("-")[:2])
        return date(year, month, 1)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"period must look like 2026-10, not {text!r}") from error


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command's options."""
    parser = argparse.ArgumentParser(prog="python -m chargeback.focus", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the FOCUS files of each billing period")
    export.add_argument("--database", type=Path, default=None, help="DuckDB file to read")
    export.add_argument(
        "--out", type=Path, default=DEFAULT_DIR, help=f"folder (default {DEFAULT_DIR})"
    )
    export.add_argument(
        "--period",
        type=parse_period,
        action="append",
        default=[],
        help="a billing period to export (YYYY-MM, repeatable; default: all)",
    )
    validate = commands.add_parser("validate", help="run focus-validator on the exported files")
    validate.add_argument(
        "--validator", type=Path, required=True, help="the focus-validator console script"
    )
    validate.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of the files")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; the exit code says whether it succeeded."""
    arguments = parse_arguments(argv)
    if arguments.command == "export":
        return print_export(
            lambda: export_periods(arguments.database, arguments.out, arguments.period),
            f"FOCUS export in {arguments.out}:",
            format_exports,
        )
    files = exported_files(arguments.dir)
    if not files:
        print(f"error: no FOCUS files in {arguments.dir}: run the export first", file=sys.stderr)
        return 2
    validator = Validator(arguments.validator)
    # one validator process per file, as many at a time as the machine has cores: each is a
    # single-threaded Python process (in the order of the files, whatever finishes first)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        validations = list(pool.map(lambda path: validate_file(validator, path), files))
    print(format_validations(validations, validator.version()))
    return 0 if all(validation.succeeded for validation in validations) else 1


if __name__ == "__main__":
    sys.exit(main())
