"""`python -m chargeback.validation`: validate the landing data and the marts with GX.

Generates the suites from the dbt manifest, prints a line per suite (each failure with example
rows, then the dbt tests not mirrored and why), writes the Data Docs under --docs-dir, and
exits 1 when a critical expectation fails (2 when the manifest or the warehouse is missing).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from chargeback.validation.manifest import DEFAULT_MANIFEST
from chargeback.validation.reader import WarehouseLockedError
from chargeback.validation.report import format_run
from chargeback.validation.run import DEFAULT_DOCS_DIR, run_validation


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command's options."""
    parser = argparse.ArgumentParser(
        prog="python -m chargeback.validation",
        description="Validate the landing data and the marts of the warehouse with Great "
        "Expectations suites generated from the dbt project; write the Data Docs.",
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="DuckDB file to read (default: CHARGEBACK_DUCKDB_PATH or warehouse/chargeback.duckdb)",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        default=DEFAULT_MANIFEST,
        help=f"the dbt manifest the suites are generated from (default: {DEFAULT_MANIFEST})",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=DEFAULT_DOCS_DIR,
        help=f"folder of the Data Docs site (default: {DEFAULT_DOCS_DIR})",
    )
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=300.0,
        help="seconds to wait while dbt holds the warehouse's write lock (default: 300)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the validation; 0 when every critical expectation is met, 1 when one fails, 2 when
    there is no manifest or warehouse to read."""
    arguments = parse_arguments(argv)
    try:
        run = run_validation(
            arguments.database,
            arguments.docs_dir,
            arguments.manifest,
            lock_timeout=arguments.lock_timeout,
        )
    except (FileNotFoundError, WarehouseLockedError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_run(run))
    return 0 if run.success else 1


if __name__ == "__main__":
    sys.exit(main())
