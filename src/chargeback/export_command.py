"""What the export commands share: the export's summary on stdout, or exit code 2 without a
warehouse to export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

Written = TypeVar("Written")


def print_export(
    export: Callable[[], Written], heading: str, summary: Callable[[Written], str]
) -> int:
    """Runs `export`, prints `heading` and the summary of what it wrote: exit code 0; or, when
    the warehouse (or a file the export reads) is missing, the error on stderr: exit code 2."""
    try:
        written = export()
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(heading)
    print(summary(written))
    return 0
