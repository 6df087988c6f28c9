"""`python -m chargeback.exports`: the public marts as Parquet for BI tools, after a build."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from chargeback.export_command import print_export
from chargeback.exports.marts import DEFAULT_DIR, export_marts, format_exports


def main(argv: Sequence[str] | None = None) -> int:
    """Writes the export; exit code 2 when there is no warehouse to read."""
    parser = argparse.ArgumentParser(prog="python -m chargeback.exports", description=__doc__)
    parser.add_argument("--database", type=Path, default=None, help="DuckDB file to read")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help=f"folder ({DEFAULT_DIR})")
    arguments = parser.parse_args(argv)
    return print_export(
        lambda: export_marts(arguments.database, arguments.out),
        f"Marts exported to {arguments.out} (Parquet):",
        format_exports,
    )


if __name__ == "__main__":
    sys.exit(main())
