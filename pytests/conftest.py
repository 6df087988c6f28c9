"""Warehouses shared by the test modules that only read them, and dbt's parsed project shared
by every worker.

`small_demo` is the demo company at 8,000 requests (seed 11), built once per test session
(once per worker when the tests run in parallel): the BI-consumer, demo-coverage and
validation tests read it and never change it (a test that needs a broken copy copies the
file).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from chargeback.demo import DemoConfig, generate
from harness import PARSED_PROJECTS, SMALL_DEMO_VARIABLES, Warehouse, build, project_copy

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# pytest-xdist's workers run from `python -c`, so their __main__ has neither a spec nor a file.
# PySpark (in the same environment after `make setup-spark`) takes such a process for its own
# doctest run and exits when pyspark.sql.connect is imported, which great-expectations does as
# it imports: the worker died collecting test_validation. A file name tells it otherwise.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"


@pytest.fixture(scope="session", autouse=True)
def shared_parsed_projects(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The parsed projects in one folder of this test session: beside the workers' own
    folders when pytest-xdist runs them in parallel, in the session's folder otherwise."""
    session = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        session = session.parent
    PARSED_PROJECTS.share(session / "dbt_parsed")


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("small_demo"))
    generate(DemoConfig(requests=8000, seed=11, out=warehouse.landing, seeds_dir=SEEDS, force=True))
    build(warehouse, variables=SMALL_DEMO_VARIABLES)
    return warehouse
