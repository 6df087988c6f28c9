"""Warehouses shared by the test modules that only read them, and dbt's parsed project shared
by every worker.

`small_demo` is the demo company at 8,000 requests (seed 11), built once per test session
(once per worker when the tests run in parallel): the BI-consumer, demo-coverage and
validation tests read it and never change it (a test that needs a broken copy copies the
file).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chargeback.demo import DemoConfig, generate
from harness import PARSED_PROJECTS, Warehouse, build, project_copy

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SMALL_DEMO_VARIABLES = {
    "chargeback__min_tagged_spend_share": 0,
    "chargeback__max_unpriced_share": 0.05,
}


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers the mark itself; this keeps a run without it (-p no:xdist) quiet
    config.addinivalue_line("markers", "xdist_group(name): tests that run on the same worker")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Parallel workers (`--dist loadgroup`) take whole modules, and the modules that read
    `small_demo` all go to one worker, which builds it once."""
    readers = {item.module.__name__ for item in items if "small_demo" in item.fixturenames}
    for item in items:
        module = item.module.__name__
        group = "small_demo" if module in readers else module
        item.add_marker(pytest.mark.xdist_group(group))


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
