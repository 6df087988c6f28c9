"""python -m chargeback.bench [--requests N] [--workdir DIR]: time the warehouse on N requests.

Steps, on the same generated data (Parquet):
  generate     the demo generator writes N requests;
  build        `dbt build` without data or unit tests, the last day held back;
  tests        the data tests;
  incremental  `dbt build` without tests after the last day lands.
The hand-written reference query (the engine's floor for the same result) is not part of the
harness yet, so the ratios to it are not reported. Each step's wall time, the peak RSS of its
process tree and rows per second go to BENCHMARKS.md, one row per run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from chargeback.bench.processes import Measurement, run_measured

PROJECT_ROOT = Path(__file__).resolve().parents[3]
COPIED = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "profiles")
TABLE_HEADER = (
    "| run (UTC) | commit | requests | cores | memory | generate | build | tests | incremental "
    "| peak RSS | build rows/s |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
)


def machine_memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def commit() -> str:
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or "unknown"


def step(name: str, measurement: Measurement, rows: int) -> str:
    if measurement.returncode != 0:
        raise SystemExit(f"bench step {name} failed (exit {measurement.returncode}); see its log")
    rate = rows / measurement.seconds if measurement.seconds else 0
    mib = measurement.peak_rss_bytes / 2**20
    print(f"{name:12} {measurement.seconds:8.1f} s  peak RSS {mib:7.0f} MiB  {rate:12,.0f} rows/s")
    return f"{measurement.seconds:.1f} s / {measurement.peak_rss_bytes / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "bench_runs")
    parser.add_argument("--report", type=Path, default=PROJECT_ROOT / "BENCHMARKS.md")
    arguments = parser.parse_args()

    work = arguments.workdir / f"n{arguments.requests}"
    shutil.rmtree(work, ignore_errors=True)
    project = work / "project"
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    (project / "warehouse").mkdir()
    landing = work / "landing"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project / "profiles"),
        "CHARGEBACK_LANDING_DIR": str(landing),
        "CHARGEBACK_DUCKDB_PATH": str(project / "warehouse" / "bench.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    python, dbt = sys.executable, str(Path(sys.executable).with_name("dbt"))
    variables = '{"chargeback__min_tagged_spend_share": 0}'

    generated = run_measured(
        [python, "-m", "chargeback.demo", "--requests", str(arguments.requests),
         "--format", "parquet", "--out", str(landing), "--seeds-dir", str(project / "seeds")],
        project, env, work / "generate.log",
    )  # fmt: skip
    cells = [step("generate", generated, arguments.requests)]
    days = sorted((landing / "gateway_requests").iterdir())
    held_back = work / "held_back"
    shutil.move(days[-1], held_back)
    build = [dbt, "build", "--exclude", "resource_type:test", "resource_type:unit_test",
             "--vars", variables]  # fmt: skip
    built = run_measured(build, project, env, work / "build.log")
    cells.append(step("build", built, arguments.requests))
    tested = run_measured(
        [dbt, "test", "--exclude", "resource_type:unit_test", "--vars", variables],
        project, env, work / "tests.log",
    )  # fmt: skip
    cells.append(step("tests", tested, arguments.requests))
    shutil.move(held_back, days[-1])
    incremental = run_measured(build, project, env, work / "incremental.log")
    cells.append(step("incremental", incremental, arguments.requests))

    peak = max(m.peak_rss_bytes for m in (generated, built, tested, incremental))
    row = (
        f"| {datetime.now(tz=UTC):%Y-%m-%d %H:%M} | {commit()} | {arguments.requests:,} "
        f"| {os.cpu_count()} | {machine_memory_gib():.0f} GiB | "
        + " | ".join(cells)
        + f" | {peak / 2**20:.0f} MiB | {arguments.requests / built.seconds:,.0f} |\n"
    )
    report = arguments.report
    if not report.exists():
        report.write_text(
            "# Benchmarks\n\nOne row per `make bench` run (`python -m chargeback.bench`), "
            "newest last. Each step: wall time / peak RSS of its process tree.\n\n" + TABLE_HEADER
        )
    with report.open("a") as file:
        file.write(row)
    print(f"appended to {report}")


if __name__ == "__main__":
    main()
