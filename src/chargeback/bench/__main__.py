"""python -m chargeback.bench [--sizes N ...] [--workdir DIR]: time the warehouse on N requests.

For each size, on the same generated data (Parquet, the demo generator):
  generate     the demo generator writes N requests;
  reference    (a) one hand-written DuckDB query, month x team cost straight from the files
               with the ledger's rules (reference.sql): the engine's floor for this work;
  build        (b) `dbt build` without data or unit tests, the last day held back;
  tests        (c) the data tests;
  incremental  (d) `dbt build` without tests after the last day lands.
After each dbt step the slowest nodes of its run_results.json are printed (the profile; the
file is kept in the work folder). The reference runs on the same files as the build (the last
day held back) and must equal the ledger's month x team cost to the cent, else the run fails.
Each step's wall time, the peak RSS of its process tree, the ratios b/a, c/a, d/b and the
build's seconds per million requests go to BENCHMARKS.md, one row per size and run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from chargeback.bench.processes import Measurement, run_measured
from chargeback.dbt_command import DBT, PROJECT_ROOT, copy_project
from chargeback.git_state import git_output

TABLE_HEADER = (
    "| run (UTC) | commit | requests | cores | memory | generate | reference (a) | build (b) "
    "| tests (c) | incremental (d) | b/a | c/a | d/b | peak RSS | build s per 1M requests "
    "| build rows/s | ledger vs reference |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
)
CENT = Decimal("0.005")


@dataclass(frozen=True)
class SizeResult:
    requests: int
    generated: Measurement
    reference: Measurement
    built: Measurement
    tested: Measurement
    incremental: Measurement
    largest_difference: Decimal
    reference_first_delivery: str = "window"

    @property
    def peak_rss_bytes(self) -> int:
        steps = (self.generated, self.reference, self.built, self.tested, self.incremental)
        return max(step.peak_rss_bytes for step in steps)

    @property
    def build_seconds_per_million(self) -> float:
        return self.built.seconds / (self.requests / 1_000_000)

    @property
    def build_rows_per_second(self) -> float:
        return self.requests / self.built.seconds


def machine_memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def commit() -> str:
    return git_output(PROJECT_ROOT, "rev-parse", "--short", "HEAD") or "unknown"


def checked(name: str, measurement: Measurement, rows: int) -> Measurement:
    if measurement.returncode != 0:
        raise SystemExit(f"bench step {name} failed (exit {measurement.returncode}); see its log")
    rate = rows / measurement.seconds if measurement.seconds else 0
    mib = measurement.peak_rss_bytes / 2**20
    print(f"{name:12} {measurement.seconds:8.1f} s  peak RSS {mib:7.0f} MiB  {rate:12,.0f} rows/s")
    return measurement


def slowest_nodes(run_results: Path, count: int = 6) -> list[tuple[float, str]]:
    """The nodes of a dbt run that took longest (run_results.json), slowest first."""
    results = json.loads(run_results.read_text())["results"]
    timed = [(result["execution_time"], result["unique_id"]) for result in results]
    return sorted(timed, reverse=True)[:count]


def keep_profile(project: Path, work: Path, step: str) -> None:
    """Keeps the step's run_results.json beside its log and prints its slowest nodes."""
    run_results = project / "target" / "run_results.json"
    kept = work / f"{step}_run_results.json"
    shutil.copy2(run_results, kept)
    for seconds, node in slowest_nodes(kept):
        print(f"    {seconds:8.1f} s  {node}")


def cell(measurement: Measurement) -> str:
    return f"{measurement.seconds:.1f} s / {measurement.peak_rss_bytes / 2**20:,.0f} MiB"


def largest_difference(reference_csv: Path, database: Path) -> Decimal:
    """The largest |ledger - reference| of a month and team, in the reporting currency."""
    with reference_csv.open() as file:
        reference = {
            (row["period_month"], row["team_id"]): Decimal(row["cost_reporting"])
            for row in csv.DictReader(file)
        }
    connection = duckdb.connect(str(database), read_only=True)
    try:
        ledger = {
            (str(month), team): cost
            for month, team, cost in connection.execute(
                "select period_month, team_id, sum(cost_reporting) from marts.fct_request_costs "
                "where cost_reporting is not null group by period_month, team_id"
            ).fetchall()
        }
    finally:
        connection.close()
    keys = set(reference) | set(ledger)
    if not keys:
        raise SystemExit("neither the ledger nor the reference has any cost")
    return max(abs(ledger.get(key, Decimal(0)) - reference.get(key, Decimal(0))) for key in keys)


def prepare(work: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    return copy_project(work / "project")


# The reference's attempts, fastest first: its window form, then its hashed form (less
# memory), both under the profile's DuckDB memory limit; if both run out of memory (50M
# requests under 3GB), the window form with REFERENCE_MEMORY_FALLBACK. The warehouse itself
# always runs under the profile's limit; only the measuring stick gets more room.
REFERENCE_MEMORY_FALLBACK = "12GB"
REFERENCE_ATTEMPTS: tuple[tuple[str, str | None], ...] = (
    ("window", None),
    ("hashed", None),
    ("window", REFERENCE_MEMORY_FALLBACK),
)


def run_reference(
    python: str, landing: Path, project: Path, env: dict[str, str], work: Path, out: Path
) -> tuple[Measurement, str]:
    """The reference, timed: the first of REFERENCE_ATTEMPTS that does not run out of memory.
    Returns its run and how it ran ("window", "hashed", "window, 12GB"); the attempts that ran
    out of memory are not counted in the time."""
    for first_delivery, memory_limit in REFERENCE_ATTEMPTS:
        form = first_delivery + (f", {memory_limit}" if memory_limit else "")
        log = work / f"reference_{first_delivery}{'_' + memory_limit if memory_limit else ''}.log"
        command = [
            python, "-m", "chargeback.bench.reference", "--landing", str(landing),
            "--seeds", str(project / "seeds"), "--out", str(out),
            "--first-delivery", first_delivery,
        ]  # fmt: skip
        if memory_limit:
            command += ["--memory-limit", memory_limit]
        measurement = run_measured(command, project, env, log)
        out_of_memory = "Out of Memory" in log.read_text(errors="replace")
        if measurement.returncode == 0 or not out_of_memory:
            return measurement, form
        print(f"reference ({form}) ran out of memory; trying the next attempt")
    return measurement, form


def bench_size(requests: int, workdir: Path) -> SizeResult:
    print(f"--- {requests:,} requests")
    work = workdir / f"n{requests}"
    project = prepare(work)
    landing = work / "landing"
    database = project / "warehouse" / "bench.duckdb"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project / "profiles"),
        "CHARGEBACK_LANDING_DIR": str(landing),
        "CHARGEBACK_DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    python, dbt = sys.executable, str(DBT)
    variables = '{"chargeback__min_tagged_spend_share": 0}'

    generated = run_measured(
        [python, "-m", "chargeback.demo", "--requests", str(requests),
         "--format", "parquet", "--out", str(landing), "--seeds-dir", str(project / "seeds")],
        project, env, work / "generate.log",
    )  # fmt: skip
    checked("generate", generated, requests)
    days = sorted((landing / "gateway_requests").iterdir())
    held_back = work / "held_back"
    shutil.move(days[-1], held_back)

    reference_csv = work / "reference.csv"
    reference, first_delivery = run_reference(python, landing, project, env, work, reference_csv)
    checked(f"reference ({first_delivery})", reference, requests)
    build = [dbt, "build", "--exclude", "resource_type:test", "resource_type:unit_test",
             "--vars", variables]  # fmt: skip
    built = checked("build", run_measured(build, project, env, work / "build.log"), requests)
    keep_profile(project, work, "build")
    difference = largest_difference(reference_csv, database)
    print(f"ledger vs reference: largest month x team difference {difference}")
    if difference >= CENT:
        raise SystemExit(f"the ledger differs from the reference by {difference}; see {work}")
    tested = run_measured(
        [dbt, "test", "--exclude", "resource_type:unit_test", "--vars", variables],
        project, env, work / "tests.log",
    )  # fmt: skip
    checked("tests", tested, requests)
    keep_profile(project, work, "tests")
    shutil.move(held_back, days[-1])
    incremental = run_measured(build, project, env, work / "incremental.log")
    checked("incremental", incremental, requests)
    keep_profile(project, work, "incremental")
    return SizeResult(
        requests, generated, reference, built, tested, incremental, difference, first_delivery
    )


def table_row(result: SizeResult) -> str:
    a, b = result.reference.seconds, result.built.seconds
    c, d = result.tested.seconds, result.incremental.seconds
    cells = [
        f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M}",
        commit(),
        f"{result.requests:,}",
        str(os.cpu_count()),
        f"{machine_memory_gib():.0f} GiB",
        cell(result.generated),
        cell(result.reference)
        + (
            ""
            if result.reference_first_delivery == "window"
            else f" ({result.reference_first_delivery} form)"
        ),
        cell(result.built),
        cell(result.tested),
        cell(result.incremental),
        # three decimals: a ratio near its target (3 or 0.10) must not round onto it
        f"{b / a:.3f}",
        f"{c / a:.2f}",
        f"{d / b:.3f}",
        f"{result.peak_rss_bytes / 2**20:,.0f} MiB",
        f"{result.build_seconds_per_million:.1f}",
        f"{result.build_rows_per_second:,.0f}",
        "equal to the cent" if result.largest_difference < CENT else "differs",
    ]
    return "| " + " | ".join(cells) + " |\n"


def with_rows_added(markdown: str, rows: list[str]) -> str:
    """The report with `rows` added after the last row of its first table (the run table),
    so that notes and sections written below the table stay below it."""
    lines = markdown.splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith("| run (UTC)"))
    end = header
    while end + 1 < len(lines) and lines[end + 1].startswith("|"):
        end += 1
    if not lines[end].endswith("\n"):
        lines[end] += "\n"
    return "".join(lines[: end + 1] + rows + lines[end + 1 :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "bench_runs")
    parser.add_argument("--report", type=Path, default=PROJECT_ROOT / "BENCHMARKS.md")
    arguments = parser.parse_args()

    results = [bench_size(size, arguments.workdir) for size in arguments.sizes]
    report = arguments.report
    if not report.exists():
        report.write_text(
            "# Benchmarks\n\nOne row per size and `make bench` run (`python -m chargeback.bench`), "
            "newest last. Each step: wall time / peak RSS of its process tree. Build rows/s is "
            "the requests over the build's wall time.\n\n" + TABLE_HEADER
        )
    report.write_text(with_rows_added(report.read_text(), [table_row(r) for r in results]))
    for result in results:
        print(
            f"{result.requests:>12,} requests: build {result.build_seconds_per_million:.1f} s "
            f"per million, b/a {result.built.seconds / result.reference.seconds:.1f}"
        )
    print(f"added to the table of {report}")


if __name__ == "__main__":
    main()
