"""`python -m chargeback.exports`: the public marts as Parquet for BI tools, after a build."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from chargeback.exports.marts import DEFAULT_DIR, export_marts, format_exports


def main(argv: Sequence[str] | None = None) -> int:
    """Writes the export; exit code 2 when there is no warehouse to read."""
    parser = argparse.ArgumentParser(prog="python -m chargeback.exports", description=__doc__)
    parser.add_argument("--database", type=Path, default=None, help="DuckDB file to read")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help=f"folder ({DEFAULT_DIR})")
    arguments = parser.parse_args(argv)
    try:
        exports = export_marts(arguments.database, arguments.out)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Marts exported to {arguments.out} (Parquet):")
    print(format_exports(exports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
