"""Warehouses shared by the test modules that only read them.

`small_demo` is the demo company at 8,000 requests (seed 11), built once per test session
(once per worker when the tests run in parallel): the BI-consumer, demo-coverage and
validation tests read it and never change it (a test that needs a broken copy copies the
file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chargeback.demo import DemoConfig, generate
from harness import Warehouse, build, project_copy

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SMALL_DEMO_VARIABLES = {
    "chargeback__min_tagged_spend_share": 0,
    "chargeback__max_unpriced_share": 0.05,
}


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("small_demo"))
    generate(DemoConfig(requests=8000, seed=11, out=warehouse.landing, seeds_dir=SEEDS, force=True))
    build(warehouse, variables=SMALL_DEMO_VARIABLES)
    return warehouse
