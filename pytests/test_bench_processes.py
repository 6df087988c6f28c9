"""The benchmark harness measures a command's wall time and the peak memory of its process tree."""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

from chargeback.bench.__main__ import (
    TABLE_HEADER,
    SizeResult,
    slowest_nodes,
    table_row,
    with_rows_added,
)
from chargeback.bench.processes import Measurement, run_measured, tree_rss_bytes

# A parent that starts a child holding about 300 MiB for a second: the child's memory counts.
HOLD = "import time; block = bytearray(300 * 2**20); block[::4096] = b'x' * 76800; time.sleep(1)"
CHILD_HOLDS_MEMORY = f"""
import subprocess, sys
subprocess.run([sys.executable, "-c", {HOLD!r}], check=True)
"""


def test_the_peak_memory_of_a_child_process_counts(tmp_path: Path) -> None:
    measured = run_measured(
        [sys.executable, "-c", CHILD_HOLDS_MEMORY], tmp_path, os.environ, tmp_path / "log.txt"
    )
    assert measured.returncode == 0
    assert measured.seconds >= 1
    assert measured.peak_rss_bytes >= 280 * 2**20


def test_the_tree_of_this_process_has_some_memory_and_a_dead_pid_none() -> None:
    assert tree_rss_bytes(os.getpid()) > 10 * 2**20
    assert tree_rss_bytes(2**22 + 12345) == 0


def test_the_profile_lists_the_slowest_dbt_nodes_first(tmp_path: Path) -> None:
    run_results = tmp_path / "run_results.json"
    run_results.write_text(
        json.dumps(
            {
                "results": [
                    {"unique_id": "model.a", "execution_time": 1.5},
                    {"unique_id": "model.ledger", "execution_time": 30.0},
                    {"unique_id": "test.unique", "execution_time": 4.0},
                ]
            }
        )
    )
    assert slowest_nodes(run_results, count=2) == [(30.0, "model.ledger"), (4.0, "test.unique")]


def test_new_rows_go_under_the_last_row_of_the_run_table_not_under_the_notes() -> None:
    report = (
        "# Benchmarks\n\n"
        "| run (UTC) | commit |\n|---|---|\n| old | a1 |\n\n"
        "A note about the old row.\n\n## 50,000,000 requests\n\ndetails\n"
    )
    updated = with_rows_added(report, ["| new | b2 |\n"])
    assert updated == report.replace("| old | a1 |\n", "| old | a1 |\n| new | b2 |\n")


def test_a_row_has_a_cell_per_column_with_the_ratios_and_the_build_throughput() -> None:
    def step(seconds: float) -> Measurement:
        return Measurement(seconds=seconds, peak_rss_bytes=2**30, returncode=0)

    result = SizeResult(
        requests=10_000_000,
        generated=step(25.0),
        reference=step(40.0),
        built=step(125.0),
        tested=step(36.0),
        incremental=step(12.0),
        largest_difference=Decimal(0),
    )
    header = [name.strip() for name in TABLE_HEADER.splitlines()[0].strip("|").split("|")]
    row = [cell.strip() for cell in table_row(result).strip().strip("|").split("|")]
    cells = dict(zip(header, row, strict=True))  # a cell per column, no more, no fewer
    assert {name: cells[name] for name in ("b/a", "c/a", "d/b", "build rows/s")} == {
        "b/a": "3.125",
        "c/a": "0.90",
        "d/b": "0.096",
        "build rows/s": "80,000",
    }
