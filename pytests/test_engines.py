"""The same project on Postgres and on Spark: every mart equal to DuckDB's, row by row.

The demo company at a reduced size (CHARGEBACK_ENGINE_DEMO_REQUESTS, default 6,000) is
generated once and built on DuckDB, the reference. On each engine the same landing folder is
loaded (python -m chargeback.landing) and built with every data and unit test; then each mart
is compared with DuckDB's: money to the cent, shares to 1e-9, everything else exactly. And
the incremental ledger gives the full refresh's marts on each engine, as on DuckDB.

Run by `make test-postgres` and `make test-spark` (marker postgres or spark); the default
pytest run leaves them to those commands. An engine that is not there fails, never skips.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from chargeback.compare.diff import aligned, differences, sorted_rows
from chargeback.compare.marts import Mart
from chargeback.demo import DemoConfig, generate
from engines import EngineWarehouse, engine_copy

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DEMO_REQUESTS = int(os.environ.get("CHARGEBACK_ENGINE_DEMO_REQUESTS", "6000"))
# At a reduced size the demo's last, partial local month (a few hours of November in
# Almaty) is below the production tag threshold on every engine alike: the thresholds are
# the test harness's, as in the other end-to-end tests.
LOOSE = {"chargeback__min_tagged_spend_share": 0, "chargeback__max_unpriced_share": 0.05}
NOT_CLOSED = "period_month,closed_at\n"
ENGINES = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=pytest.mark.spark),
]


def demo_landing(folder: Path, requests: int, seed: int) -> Path:
    generate(DemoConfig(requests=requests, seed=seed, out=folder, seeds_dir=SEEDS, force=True))
    return folder


def built(tmp: Path, target: str, landing: Path, arguments: tuple[str, ...]) -> EngineWarehouse:
    warehouse = engine_copy(tmp, target, seeds={"closed_periods": NOT_CLOSED}, landing=landing)
    warehouse.build(variables=LOOSE, arguments=arguments)
    return warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_landing(tmp_path_factory.mktemp("demo") / "landing", DEMO_REQUESTS, seed=42)


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory: pytest.TempPathFactory, demo: Path) -> dict[str, Mart]:
    tmp = tmp_path_factory.mktemp("duckdb")
    return built(tmp, "dev", demo, ("build", "--exclude", "resource_type:unit_test")).marts()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo: Path):
    target: str = request.param
    tmp = tmp_path_factory.mktemp(target)
    # every model, seed, data test and unit test of the project
    warehouse = built(tmp, target, demo, ("build",))
    return {"target": target, "marts": warehouse.marts()}


def test_every_mart_equals_duckdbs_row_by_row(
    engine: dict[str, Any], duckdb_marts: dict[str, Mart]
) -> None:
    assert len(duckdb_marts) >= 13
    assert sum(len(mart.rows) for mart in duckdb_marts.values()) > DEMO_REQUESTS
    found = differences(duckdb_marts, engine["marts"])
    assert found == [], f"{engine['target']} differs from DuckDB:\n" + "\n".join(found)


@pytest.fixture(scope="module", params=ENGINES)
def incremental_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Every day but the last landed and built, the last day landed and built incrementally,
    then a full refresh: the marts after each step (the test of test_incremental_and_closing
    on DuckDB, on another engine)."""
    target: str = request.param
    root = tmp_path_factory.mktemp(f"incremental_{target}")
    warehouse = engine_copy(root, target, seeds={"closed_periods": NOT_CLOSED})
    shutil.rmtree(warehouse.landing)
    demo_landing(warehouse.landing, requests=4000, seed=5)
    days = sorted((warehouse.landing / "gateway_requests").iterdir())
    last_day = days[-1]
    shutil.move(last_day, root / "held_back")
    build = ("build", "--exclude", "resource_type:unit_test")
    warehouse.build(variables=LOOSE, arguments=build)
    first = warehouse.marts()
    shutil.move(root / "held_back", last_day)
    warehouse.build(variables=LOOSE, arguments=build)
    incremental = warehouse.marts()
    warehouse.build(variables=LOOSE, arguments=(*build, "--full-refresh"))
    return {
        "target": target,
        "first": first,
        "incremental": incremental,
        "refreshed": warehouse.marts(),
        "last_day_rows": sum(
            1 for path in last_day.rglob("*.jsonl") for line in path.open() if line.strip()
        ),
    }


def test_an_incremental_build_after_a_new_day_equals_a_full_refresh_mart_by_mart(
    incremental_run: dict[str, Any],
) -> None:
    incremental, refreshed = incremental_run["incremental"], incremental_run["refreshed"]
    assert set(incremental) == set(refreshed) and len(refreshed) >= 13
    for table, mart in refreshed.items():
        assert sorted_rows(aligned(incremental[table], mart.columns)) == sorted_rows(mart), (
            f"{incremental_run['target']}: marts.{table} differs from the full refresh"
        )
    ledger_growth = len(incremental["fct_request_costs"].rows) - len(
        incremental_run["first"]["fct_request_costs"].rows
    )
    assert ledger_growth == incremental_run["last_day_rows"] > 0
