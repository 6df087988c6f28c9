"""Warehouses shared by the test modules that only read them, and dbt's parsed project shared
by every worker.

`small_demo` is the demo company at 8,000 requests (seed 11, landed as Parquet, as the
benchmark lands it), built once per test session: the BI-consumer, demo-coverage, validation
and benchmark-reference tests read it and never change it (a test that needs a broken copy
copies the file). With parallel workers, the first one to need it builds it in the session's
shared folder while the others wait on a lock; each worker then works in
a copy of the built project (dbt commands such as `docs generate` open the DuckDB file for
writing, which two processes cannot do at once), reading the one landing folder it was built
from. `late_august_demo` is built the same way, once a session, and copied for each module
that reads it: the FOCUS export's, and the incremental lookback's, which changes its copy.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chargeback.demo import DemoConfig, generate
from harness import PARSED_PROJECTS, SMALL_DEMO_VARIABLES, Warehouse, build, project_copy
from late_august import build_late_august_demo

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# The modules in the order pytest-xdist hands them out (the Makefile passes
# --no-loadscope-reorder, without which xdist sorts modules by their number of tests): longest
# first, by their measured seconds, so that the two workers end together instead of one
# finishing a long module alone; a module that builds a session warehouse (small_demo,
# late_august_demo) comes before the ones that wait for it. The others follow in their
# collected order.
LONGEST_FIRST = (
    "test_incremental_and_closing.py",  # five builds, about 150 s
    "test_validation.py",  # builds small_demo
    "test_focus_export.py",  # builds late_august_demo
    "test_faults.py",
    "test_gateway_formats.py",
    "test_acceptance_reconciliation.py",
    "test_acceptance_chargeback.py",
    "test_safe_outputs.py",
    "test_bi_consumers.py",
    "test_ledger_end_to_end.py",
    "test_landed_files.py",
    "test_acceptance_unlogged_spend.py",
    "test_billable_quantities.py",
    "test_vendor_request_logs.py",
    "test_real_sources.py",
    "test_vendor_pages.py",
    "test_first_run.py",
    "test_price_catalogue.py",
)

# pytest-xdist's workers run from `python -c`, so their __main__ has neither a spec nor a file.
# PySpark (in the same environment after `make setup-spark`) takes such a process for its own
# doctest run and exits when pyspark.sql.connect is imported, which great-expectations does as
# it imports: the worker died collecting test_validation. A file name tells it otherwise.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test session's folder that every worker sees: beside the workers' own folders
    when pytest-xdist runs them in parallel, the session's folder otherwise."""
    session = tmp_path_factory.getbasetemp()
    return session.parent if os.environ.get("PYTEST_XDIST_WORKER") else session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The LONGEST_FIRST modules first, the others in their collected order."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


@pytest.fixture(scope="session", autouse=True)
def shared_parsed_projects(tmp_path_factory: pytest.TempPathFactory) -> None:
    PARSED_PROJECTS.share(shared_folder(tmp_path_factory) / "dbt_parsed")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Held by one process of the machine at a time (the parallel workers wait here)."""
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def shared_build(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Warehouse], None]
) -> Warehouse:
    """A copy of the warehouse `make` builds in the session's shared folder under `name`:
    built once, by the first worker that needs it while the others wait, then copied for each
    caller (its own DuckDB file, to change or to open for writing), reading the one landing
    folder it was built from (which nothing changes after `make`)."""
    shared = shared_folder(tmp_path_factory)
    built = shared / name
    with locked(shared / f"{name}.lock"):
        if not (built / "built").exists():
            make(project_copy(built))
            (built / "built").touch()
    copy = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(built / "project", copy)
    return Warehouse(root=copy, landing=built / "landing")


def build_small_demo(warehouse: Warehouse) -> None:
    generate(
        DemoConfig(
            requests=8000,
            seed=11,
            out=warehouse.landing,
            seeds_dir=SEEDS,
            force=True,
            file_format="parquet",
        )
    )
    build(warehouse, variables=SMALL_DEMO_VARIABLES, artifacts=True)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return shared_build(tmp_path_factory, "small_demo", build_small_demo)


@pytest.fixture(scope="module")
def late_august_demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A copy for each test module (a module may change its own) of a small demo company
    (3,000 requests, seed 7, August closed as the committed seed says), built, then built
    again after late August calls landed on a key of their own (late_august.py), built once
    a session: the FOCUS export's closed month, and the incremental lookback's warehouse."""
    return shared_build(tmp_path_factory, "late_august_demo", build_late_august_demo)
