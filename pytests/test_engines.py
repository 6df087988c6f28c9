"""The same project on Postgres and on Spark: every mart equal to DuckDB's, row by row.

The demo company at a reduced size (CHARGEBACK_ENGINE_DEMO_REQUESTS, default 6,000) is
generated once. Every day but the last is built on DuckDB, the reference, then the last day
incrementally. On each engine the same landing folder is loaded (python -m chargeback.landing)
and built the same way, the first build with every data and unit test of the project, then
fully refreshed: each mart equals DuckDB's after each step (money to the cent, shares to 1e-9,
everything else exactly), and the incremental ledger gives the full refresh's marts, as on
DuckDB.

Run by `make test-postgres` and `make test-spark` (marker postgres or spark); the default
pytest run leaves them to those commands. An engine that is not there fails, never skips.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
BUILD = ("build", "--exclude", "resource_type:unit_test")
ENGINES = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=pytest.mark.spark),
]


def demo_landing(folder: Path, requests: int, seed: int) -> Path:
    generate(DemoConfig(requests=requests, seed=seed, out=folder, seeds_dir=SEEDS, force=True))
    return folder


@dataclass(frozen=True)
class Demo:
    """The demo's landing folder, whose last day of gateway logs can be held back."""

    landing: Path
    last_day: Path
    held: Path

    @contextmanager
    def last_day_held_back(self) -> Iterator[None]:
        shutil.move(self.last_day, self.held)
        try:
            yield
        finally:
            shutil.move(self.held, self.last_day)

    def last_day_rows(self) -> int:
        return sum(
            1 for path in self.last_day.rglob("*.jsonl") for line in path.open() if line.strip()
        )


def built_in_two_steps(
    warehouse: EngineWarehouse, demo: Demo, first_build: tuple[str, ...]
) -> dict[str, dict[str, Mart]]:
    """Every day but the last built, then the last day built incrementally: the marts after
    each step. The ledger names each record's file, so the copies compared row by row read
    the same landing folder in the same state."""
    with demo.last_day_held_back():
        warehouse.build(variables=LOOSE, arguments=first_build)
        first = warehouse.marts()
    warehouse.build(variables=LOOSE, arguments=BUILD)
    return {"first": first, "incremental": warehouse.marts()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("demo")
    landing = demo_landing(root / "landing", DEMO_REQUESTS, seed=42)
    days = sorted((landing / "gateway_requests").iterdir())
    return Demo(landing=landing, last_day=days[-1], held=root / "held_back")


@pytest.fixture(scope="module")
def duckdb_marts(
    tmp_path_factory: pytest.TempPathFactory, demo: Demo
) -> dict[str, dict[str, Mart]]:
    warehouse = engine_copy(
        tmp_path_factory.mktemp("duckdb"), "dev", seeds={"closed_periods": NOT_CLOSED},
        landing=demo.landing,
    )  # fmt: skip
    return built_in_two_steps(warehouse, demo, BUILD)


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo: Demo
) -> dict[str, Any]:
    """On each engine: every day but the last built with every model, seed, data test and unit
    test of the project; the last day landed and built incrementally; then a full refresh."""
    target: str = request.param
    warehouse = engine_copy(
        tmp_path_factory.mktemp(target), target, seeds={"closed_periods": NOT_CLOSED},
        landing=demo.landing,
    )  # fmt: skip
    marts = built_in_two_steps(warehouse, demo, ("build",))
    warehouse.build(variables=LOOSE, arguments=(*BUILD, "--full-refresh"))
    return {
        "target": target,
        **marts,
        "refreshed": warehouse.marts(),
        "last_day_rows": demo.last_day_rows(),
    }


def test_every_mart_equals_duckdbs_row_by_row(
    engine: dict[str, Any], duckdb_marts: dict[str, dict[str, Mart]]
) -> None:
    for step in ("first", "incremental"):
        reference = duckdb_marts[step]
        assert len(reference) >= 13
        assert sum(len(mart.rows) for mart in reference.values()) > DEMO_REQUESTS / 2
        found = differences(reference, engine[step])
        assert found == [], f"{engine['target']} differs from DuckDB ({step}):\n" + "\n".join(found)


def test_an_incremental_build_after_a_new_day_equals_a_full_refresh_mart_by_mart(
    engine: dict[str, Any],
) -> None:
    incremental, refreshed = engine["incremental"], engine["refreshed"]
    assert set(incremental) == set(refreshed) and len(refreshed) >= 13
    for table, mart in refreshed.items():
        assert sorted_rows(aligned(incremental[table], mart.columns)) == sorted_rows(mart), (
            f"{engine['target']}: marts.{table} differs from the full refresh"
        )
    ledger_growth = len(incremental["fct_request_costs"].rows) - len(
        engine["first"]["fct_request_costs"].rows
    )
    assert ledger_growth == engine["last_day_rows"] > 0
