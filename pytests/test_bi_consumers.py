"""What BI tools and people read: the semantic layer, the Parquet exports and the docs.

A small demo company is built once. MetricFlow (`mf query`) then answers the metrics of the
semantic layer, and each answer is held against the mart it must equal: the chargeback's total
charge and the ledger's cost by month and team to the cent, cost per unit and attributable
share to 1e-9. The marts are exported to Parquet and read back: every mart, every row, the
same money to the last decimal. `dbt docs generate` runs offline and its catalog shows a
description for every column of every public mart.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from chargeback.exports import export_marts
from harness import SMALL_DEMO_VARIABLES, Warehouse

ROOT = Path(__file__).resolve().parents[1]
MF = Path(sys.executable).with_name("mf")
CENT_TOLERANCE = Decimal("0.000001")  # MetricFlow hands sums back as doubles


@pytest.fixture(scope="module")
def demo(small_demo: Warehouse) -> Warehouse:
    return small_demo


def mf_query(warehouse: Warehouse, tmp_path: Path, *arguments: str) -> list[dict[str, str]]:
    """Runs `mf query ... --csv` in the built copy and returns the rows."""
    out = tmp_path / "query.csv"
    completed = subprocess.run(
        [str(MF), "query", *arguments, "--csv", str(out)],
        cwd=warehouse.root,
        env=warehouse.environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0 and out.exists(), completed.stdout + completed.stderr
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def mf_metrics(
    warehouse: Warehouse, tmp_path: Path, metrics: str, group_by: str
) -> list[dict[str, str]]:
    """The rows of the semantic layer's `metrics` (comma-separated) by `group_by`."""
    return mf_query(warehouse, tmp_path, "--metrics", metrics, "--group-by", group_by)


def month(text: str) -> date:
    return date.fromisoformat(text[:10])


def amount(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def by_month_and_team(rows: Sequence[tuple[Any, ...]]) -> dict[tuple[date, str], Decimal]:
    return {(row[0], row[1]): Decimal(row[2] or 0) for row in rows}


def test_total_charge_and_total_cost_by_month_and_team_equal_the_marts_to_the_cent(
    demo: Warehouse, tmp_path: Path
) -> None:
    answered = mf_metrics(demo, tmp_path, "total_charge,total_cost", "metric_time__month,team")
    chargeback = by_month_and_team(
        demo.query(
            "select period_month, team_id, sum(total_charge) from marts.fct_team_chargeback"
            " group by period_month, team_id"
        )
    )
    ledger = by_month_and_team(
        demo.query(
            "select period_month, team_id, sum(cost_reporting) from marts.fct_request_costs"
            " group by period_month, team_id"
        )
    )
    assert len(answered) == len(chargeback) > 4
    for row in answered:
        key = (month(row["metric_time__month"]), row["team"])
        assert abs(amount(row["total_charge"]) - chargeback[key]) <= CENT_TOLERANCE, key
        assert abs(amount(row["total_cost"]) - ledger.get(key, Decimal(0))) <= CENT_TOLERANCE, key


def test_cost_per_unit_by_scenario_equals_the_unit_cost_mart(
    demo: Warehouse, tmp_path: Path
) -> None:
    answered = mf_metrics(
        demo, tmp_path, "cost_per_unit", "metric_time__month,product,scenario_month__scenario"
    )
    mart = {
        (row[0], row[1], row[2]): row[3]
        for row in demo.query(
            "select period_month, product_id, scenario_id, cost_per_unit"
            " from marts.fct_scenario_unit_cost"
        )
    }
    assert len(answered) == len(mart) > 4
    for row in answered:
        key = (month(row["metric_time__month"]), row["product"], row["scenario_month__scenario"])
        expected = mart[key]
        if expected is None:
            assert row["cost_per_unit"] == "", key
        else:
            assert abs(float(row["cost_per_unit"]) - float(expected)) <= 1e-9 * max(
                1.0, float(expected)
            ), key


def test_attributable_share_by_team_equals_the_showback_confidence_mart(
    demo: Warehouse, tmp_path: Path
) -> None:
    answered = mf_metrics(demo, tmp_path, "attributable_share", "metric_time__month,team")
    mart = {
        (row[0], row[1]): row[2]
        for row in demo.query(
            "select period_month, team_id, attributable_share from marts.fct_showback_confidence"
            " where spend > 0"
        )
    }
    compared = 0
    for row in answered:
        key = (month(row["metric_time__month"]), row["team"])
        if key in mart:
            assert abs(float(row["attributable_share"]) - mart[key]) <= 1e-9, key
            compared += 1
    assert compared == len(mart) > 4


def test_every_saved_query_answers_on_the_demo(demo: Warehouse, tmp_path: Path) -> None:
    semantic = yaml.safe_load((ROOT / "models/marts/semantic/_semantic__models.yml").read_text())
    names = [query["name"] for query in semantic["saved_queries"]]
    assert len(names) >= 4
    for name in names:
        rows = mf_query(demo, tmp_path, "--saved-query", name)
        assert rows, f"saved query {name} returned no rows"


def test_every_mart_is_exported_to_parquet_row_for_row_and_to_the_last_decimal(
    demo: Warehouse, tmp_path: Path
) -> None:
    out = tmp_path / "marts"
    exports = {export.mart: export for export in export_marts(demo.database, out)}
    marts = {
        row[0]
        for row in demo.query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert set(exports) == marts and len(marts) >= 14
    manifest = json.loads((out / "manifest.json").read_text())
    assert {entry["mart"] for entry in manifest["marts"]} == marts
    reader = duckdb.connect()
    for mart, export in exports.items():
        path = out / export.path
        pattern = f"{path}/*/*.parquet" if export.partitioned_by else str(path)
        source = f"read_parquet('{pattern}', hive_partitioning = true)"
        money = [
            name
            for name, data_type in demo.query(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'marts' and table_name = ?",
                [mart],
            )
            if data_type.startswith("DECIMAL")
        ]
        sums = ", ".join(f"sum({name})" for name in money) or "0"
        in_parquet = reader.execute(f"select count(*), {sums} from {source}").fetchone()
        in_mart = demo.query(f"select count(*), {sums} from marts.{mart}")[0]
        assert in_parquet == in_mart == (export.rows, *in_mart[1:]), mart


def test_the_ledger_export_has_a_folder_per_reporting_month(
    demo: Warehouse, tmp_path: Path
) -> None:
    out = tmp_path / "marts"
    export_marts(demo.database, out)
    folders = sorted(path.name for path in (out / "fct_request_costs").iterdir())
    months = sorted(
        f"period_month={row[0].isoformat()}"
        for row in demo.query("select distinct period_month from marts.fct_request_costs")
    )
    assert folders == months and len(months) >= 3


def test_docs_generate_offline_and_document_every_column_of_every_public_mart(
    demo: Warehouse,
) -> None:
    # with the variables it was built with: docs generate compiles every test, and the tag
    # completeness test reads the data as it compiles
    run = demo.dbt("docs", "generate", variables=SMALL_DEMO_VARIABLES)
    assert run.succeeded, run.output[-3000:]
    target = demo.root / "target"
    assert (target / "index.html").stat().st_size > 100_000
    catalog = json.loads((target / "catalog.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    undocumented: list[str] = []
    marts = 0
    for unique_id, table in catalog["nodes"].items():
        if table["metadata"]["schema"] != "marts":
            continue
        marts += 1
        documented = manifest["nodes"][unique_id]
        if not documented.get("description"):
            undocumented.append(unique_id)
        for column in table["columns"]:
            described = documented["columns"].get(column, {}).get("description")
            if not described:
                undocumented.append(f"{unique_id}.{column}")
    assert marts >= 14
    assert undocumented == []
    assert "__overview__" in {block["name"] for block in manifest["docs"].values()}


def marts_named_in(folders: Sequence[Path]) -> set[str]:
    """The fct_ and dim_ names that the Python or SQL files of these folders mention."""
    found: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in {".py", ".sql"}:
                found |= set(re.findall(r"\b((?:fct|dim)_[a-z_]+)\b", path.read_text()))
    return found


def exposure_depends_on(name: str) -> set[str]:
    exposures = yaml.safe_load((ROOT / "models/marts/_marts__exposures.yml").read_text())
    (exposure,) = [entry for entry in exposures["exposures"] if entry["name"] == name]
    return {re.sub(r"ref\('([a-z_]+)'\)", r"\1", ref) for ref in exposure["depends_on"]}


def test_the_dashboard_exposure_names_every_mart_the_dashboard_reads() -> None:
    read = marts_named_in([ROOT / "dashboard"])
    assert read and read == exposure_depends_on("dashboard")


def test_the_month_end_pack_exposure_names_every_mart_the_pack_reads() -> None:
    read = marts_named_in([ROOT / "src/chargeback/report", ROOT / "analyses"])
    assert read and read == exposure_depends_on("month_end_pack")
