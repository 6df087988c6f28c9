"""The project's DuckDB materializations: seeds reload only when they change, and tables and
views are replaced in one transaction.

`dbt build` reloads every seed and rebuilds every view and table on each run. On DuckDB the
project's own materializations (macros/materialization_*_duckdb.sql) do less work for the
same result: a seed whose file and load settings are those of its last load is left as it
is, and a table or view is replaced inside the model's transaction, so that a failing model
leaves the previous relation in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from harness import Warehouse, build, project_copy

PROBE_MODEL = """
{{ config(materialized=var('probe_materialized', 'table')) }}
select {{ var('probe_value', 1) }} as probe_value
"""


def seed_messages(warehouse: Warehouse) -> dict[str, str]:
    """What the last dbt command reported for each seed: UNCHANGED, INSERT n or CREATE n."""
    results = json.loads((warehouse.root / "target" / "run_results.json").read_text())["results"]
    return {
        result["unique_id"].split(".")[-1]: result["message"]
        for result in results
        if result["unique_id"].startswith("seed.")
    }


TYPE_OF = {"table": "BASE TABLE", "view": "VIEW"}


def relations(warehouse: Warehouse, schema: str) -> dict[str, str]:
    rows = warehouse.query(
        "select table_name, table_type from information_schema.tables where table_schema = ?",
        [schema],
    )
    return dict(rows)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("seeds"))
    build(warehouse, arguments=("seed",))
    return warehouse


def test_the_first_load_loads_every_seed(seeded: Warehouse) -> None:
    messages = seed_messages(seeded)
    assert messages and all(message.startswith("INSERT") for message in messages.values())


def test_a_second_run_leaves_every_unchanged_seed_as_it_is(seeded: Warehouse) -> None:
    teams_before = seeded.query("select * from reference.teams order by all")
    build(seeded, arguments=("seed",))
    assert set(seed_messages(seeded).values()) == {"UNCHANGED"}
    assert seeded.query("select * from reference.teams order by all") == teams_before


def test_a_changed_seed_file_is_reloaded_and_only_that_seed(seeded: Warehouse) -> None:
    teams = seeded.root / "seeds" / "teams.csv"
    first_row = teams.read_text().splitlines()[1]
    new_team = first_row.replace(first_row.split(",")[0], "probe_team", 1)
    teams.write_text(teams.read_text() + new_team + "\n")
    rows = len(teams.read_text().splitlines()) - 1

    build(seeded, arguments=("seed",))

    messages = seed_messages(seeded)
    assert messages.pop("teams") == f"INSERT {rows}"
    assert set(messages.values()) == {"UNCHANGED"}
    assert seeded.scalar("select count(*) from reference.teams where team_id = 'probe_team'") == 1


def test_a_dropped_seed_table_is_loaded_again(seeded: Warehouse) -> None:
    with duckdb.connect(str(seeded.database)) as connection:
        connection.execute("drop table reference.budgets")
    build(seeded, arguments=("seed",))
    assert seed_messages(seeded)["budgets"].startswith("INSERT")
    assert seeded.scalar("select count(*) from reference.budgets") > 0


def test_full_refresh_reloads_every_seed(seeded: Warehouse) -> None:
    build(seeded, arguments=("seed", "--full-refresh"))
    messages = seed_messages(seeded)
    assert messages and all(message.startswith("CREATE") for message in messages.values())


@pytest.fixture
def probe(tmp_path: Path) -> Warehouse:
    """A copy of the project with one more model, whose materialization and value come from
    variables; probe_value `error('...')` makes it fail while it runs."""
    warehouse = project_copy(tmp_path)
    (warehouse.root / "models" / "marts" / "probe.sql").write_text(PROBE_MODEL)
    return warehouse


def run_probe(warehouse: Warehouse, materialized: str, value: str) -> bool:
    variables = {"probe_materialized": materialized, "probe_value": value}
    return warehouse.dbt("run", "--select", "probe", variables=variables).succeeded


@pytest.mark.parametrize(
    ("materialized", "failing_value"),
    [
        # a table fails while its rows are computed, after the old table was dropped
        ("table", "error('the probe fails')"),
        # a view fails when it is created (a view computes nothing until it is read)
        ("view", "no_such_column"),
    ],
)
def test_a_model_that_fails_leaves_the_previous_relation_in_place(
    probe: Warehouse, materialized: str, failing_value: str
) -> None:
    assert run_probe(probe, materialized, "1")
    assert not run_probe(probe, materialized, failing_value)
    assert probe.scalar("select probe_value from marts.probe") == 1
    assert relations(probe, "marts") == {"probe": TYPE_OF[materialized]}


@pytest.mark.parametrize(("first", "then"), [("table", "view"), ("view", "table")])
def test_a_model_can_change_between_table_and_view(probe: Warehouse, first: str, then: str) -> None:
    assert run_probe(probe, first, "1")
    assert run_probe(probe, then, "2")
    assert probe.scalar("select probe_value from marts.probe") == 2
    assert relations(probe, "marts") == {"probe": TYPE_OF[then]}


def test_rebuilding_a_table_leaves_no_temporary_or_backup_relation(probe: Warehouse) -> None:
    assert run_probe(probe, "table", "1")
    assert run_probe(probe, "table", "2")
    assert probe.scalar("select probe_value from marts.probe") == 2
    assert relations(probe, "marts") == {"probe": TYPE_OF["table"]}
