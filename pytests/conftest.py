"""Warehouses shared by the test modules that only read them, and dbt's parsed project shared
by every worker.

`small_demo` is the demo company at 8,000 requests (seed 11, landed as Parquet, as the
benchmark lands it), built once per test session: the BI-consumer, demo-coverage, validation
and benchmark-reference tests read it and never change it (a test that needs a broken copy
copies the file). With parallel workers, the first one to need it builds it in the session's
shared folder while the others wait on a lock; each worker then works in
a copy of the built project (dbt commands such as `docs generate` open the DuckDB file for
writing, which two processes cannot do at once), reading the one landing folder it was built
from.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chargeback.demo import DemoConfig, generate
from harness import PARSED_PROJECTS, SMALL_DEMO_VARIABLES, Warehouse, build, project_copy

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# The modules that take longest (a chain of builds, or builds and a validator run), started
# first: pytest-xdist hands whole modules to the workers in collection order, and a long
# module collected late kept one worker busy while the other had nothing left to do.
LONGEST_FIRST = (
    "test_incremental_and_closing.py",
    "test_focus_export.py",
    "test_faults.py",
    "test_gateway_formats.py",
    "test_acceptance_chargeback.py",
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


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    shared = shared_folder(tmp_path_factory)
    built = shared / "small_demo"
    with locked(shared / "small_demo.lock"):
        if not (built / "built").exists():
            warehouse = project_copy(built)
            landing = warehouse.landing
            config = DemoConfig(
                requests=8000,
                seed=11,
                out=landing,
                seeds_dir=SEEDS,
                force=True,
                file_format="parquet",
            )
            generate(config)
            build(warehouse, variables=SMALL_DEMO_VARIABLES, artifacts=True)
            (built / "built").touch()
    copy = tmp_path_factory.mktemp("small_demo") / "project"
    shutil.copytree(built / "project", copy)
    return Warehouse(root=copy, landing=built / "landing")
