"""The public marts keep a contract: each column named, described and typed in its folder's
YAML, in the order the mart's SQL selects it, and the contract enforced on DuckDB.

With a contract, DuckDB builds a mart as `create table (<the YAML's columns and types>)` and
inserts the model's select into it; the build fails when a column's name or type differs from
the YAML (docs/design.md, "Model contracts"). The order is not checked there: the table simply
takes the YAML's. These tests need no build and no database: they read dbt_project.yml, the
YAML and the SQL, which they render with the project's own Jinja macros and dbt's stubbed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pytest
import sqlglot
import yaml
from jinja2.nativetypes import NativeEnvironment
from sqlglot import exp

ROOT = Path(__file__).resolve().parents[1]
MARTS = ROOT / "models" / "marts"
# DuckDB's names of the types the marts use, as information_schema.columns gives them (lower case).
DUCKDB_TYPE = re.compile(
    r"(varchar|boolean|date|timestamp|integer|bigint|hugeint|double|decimal\(\d+,\d+\))"
)


@dataclass(frozen=True)
class Mart:
    """A public mart: its SQL file and its entry in the folder's _<folder>__models.yml."""

    path: Path
    entry: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def columns(self) -> list[dict[str, Any]]:
        return list(self.entry.get("columns") or [])


def public_marts() -> list[Mart]:
    """The fct_ models under models/marts (README, "Marts"), with their YAML entries."""
    marts = []
    for path in sorted(MARTS.rglob("fct_*.sql")):
        yaml_files = list(path.parent.glob("_*__models.yml"))
        assert len(yaml_files) == 1, f"{path.parent.relative_to(ROOT)} needs one YAML"
        entries = {
            model["name"]: model
            for model in yaml.safe_load(yaml_files[0].read_text()).get("models", [])
        }
        marts.append(Mart(path, entries.get(path.stem, {})))
    return marts


MART_IDS = [mart.name for mart in public_marts()]


def contract_config(mart: Mart) -> Any:
    """The mart's `contract` config as dbt resolves it: the most specific folder of
    dbt_project.yml that sets +contract, then the model's YAML config, then its SQL config()."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    level = project["models"]["ai_chargeback"]
    contract = level.get("+contract")
    for folder in mart.path.relative_to(ROOT / "models").parent.parts:
        level = level.get(folder) or {}
        contract = level.get("+contract", contract)
    contract = (mart.entry.get("config") or {}).get("contract", contract)
    assert not re.search(r"\bcontract\s*=", mart.path.read_text()), f"{mart.name} sets one in SQL"
    return contract


def rendered_for(value: Any, target_type: str) -> Any:
    """A dbt_project.yml config value as dbt renders it for a target: natively, so that a
    Jinja expression gives a Python value, not its text."""
    if not isinstance(value, str):
        return value
    return NativeEnvironment().from_string(value).render(target={"type": target_type})


@pytest.mark.parametrize("mart", public_marts(), ids=MART_IDS)
def test_every_public_mart_enforces_its_contract_on_duckdb_and_only_there(mart: Mart) -> None:
    contract = contract_config(mart)
    assert isinstance(contract, dict), f"{mart.name} has no contract config"
    enforced = {
        target_type: rendered_for(contract.get("enforced"), target_type)
        for target_type in ("duckdb", "postgres", "spark")
    }
    assert enforced == {"duckdb": True, "postgres": False, "spark": False}
    assert all(isinstance(value, bool) for value in enforced.values())


def test_no_public_mart_is_incremental_and_the_ledger_table_appends_new_columns() -> None:
    # The ledger is kept in an intermediate incremental table (int_request_costs_booked) and
    # published by a contracted view, so that its rows are stored once; a new column reaches
    # the table without a full refresh (on_schema_change) and the view's contract names it.
    incremental_marts = [
        mart.name
        for mart in public_marts()
        if re.search(r"materialized\s*=\s*'incremental'", mart.path.read_text())
    ]
    assert incremental_marts == []
    ledger = (
        ROOT / "models" / "intermediate" / "ledger" / "int_request_costs_booked.sql"
    ).read_text()
    assert re.search(r"materialized\s*=\s*'incremental'", ledger)
    assert re.search(r"on_schema_change\s*=\s*'append_new_columns'", ledger)


@pytest.mark.parametrize("mart", public_marts(), ids=MART_IDS)
def test_every_column_of_every_public_mart_has_a_description_and_a_duckdb_data_type(
    mart: Mart,
) -> None:
    assert mart.columns, f"{mart.name} lists no columns in its YAML"
    undescribed = [
        column["name"]
        for column in mart.columns
        if not str(column.get("description") or "").strip()
    ]
    untyped = [
        column["name"]
        for column in mart.columns
        if not DUCKDB_TYPE.fullmatch(str(column.get("data_type") or ""))
    ]
    assert undescribed == []
    assert untyped == [], "data_type must be DuckDB's name of the type, e.g. decimal(38,20)"


# ---------------------------------------------------------------------------------------------
# The columns a mart's SQL selects, read from the SQL itself. The model is rendered with the
# project's macros that are plain Jinja, and stand-ins for dbt's (ref gives the model's name,
# a type macro `double`, any other macro an expression that parses), with execute off and
# is_incremental() false: the full-refresh SQL. Its outer select is then followed through
# `select *` into the CTEs it reads, and through a union into its first branch.


class StandIn:
    """A dbt macro, or a namespace of them (dbt., adapter.), that renders to parsable SQL."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> StandIn:
        return StandIn(f"{self.name}.{attribute}")

    def __call__(self, *arguments: Any, **_: Any) -> str:
        if self.name.rsplit(".", 1)[-1].startswith("type_"):
            return "double"
        first = arguments[0] if arguments else None
        return f"coalesce({first}, null)" if isinstance(first, str) else "null"


@cache
def jinja_environment() -> jinja2.Environment:
    variables = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    environment = jinja2.Environment(extensions=["jinja2.ext.do"], undefined=jinja2.StrictUndefined)
    environment.globals.update(
        {
            "ref": lambda name: name,
            "var": lambda name, default=None: variables.get(name, default),
            "config": lambda **_: "",
            "is_incremental": lambda: False,
            "execute": False,
            "this": "this",
            "target": {"type": "duckdb"},
            "dbt": StandIn("dbt"),
            "adapter": StandIn("adapter"),
            "exceptions": StandIn("exceptions"),
        }
    )
    plain_jinja = []
    for path in sorted((ROOT / "macros").glob("*.sql")):
        source = path.read_text()
        if any(word in source for word in ("adapter.", "return(", "run_query", "execute")):
            environment.globals[path.stem] = StandIn(path.stem)
        else:
            plain_jinja.append(source)
    macros = environment.from_string("\n".join(plain_jinja)).make_module()
    environment.globals.update(
        {name: getattr(macros, name) for name in dir(macros) if not name.startswith("_")}
    )
    # the incremental plans as a full build has them: everything counted, nothing looked back on
    environment.globals["ledger_run_plan"] = lambda *_: {
        "fingerprint": "fingerprint",
        "lookback_start": None,
        "new_records": "1 = 1",
        "compared_columns": [],
    }
    environment.globals["unit_months_to_count"] = lambda *_: {
        "recount": [],
        "extend": [],
        "recounted_rows": "1 = 1",
        "added_rows": "1 = 0",
        "earlier_rows": "1 = 0",
        "extended_months": "cast(null as date)",
    }
    return environment


def star_source(query: exp.Select, star: exp.Expression) -> str:
    """The relation a `*` or `name.*` of the query reads."""
    joins = query.args.get("joins") or []
    sources = [query.args["from_"].this, *(join.this for join in joins)]
    named = star.table if isinstance(star, exp.Column) else ""
    tables = [
        source.name
        for source in sources
        if isinstance(source, exp.Table) and named in ("", source.alias_or_name)
    ]
    assert len(tables) == 1, f"cannot tell what {star.sql()} reads"
    return tables[0]


def selected_columns(query: exp.Expression, ctes: dict[str, exp.Expression]) -> Iterator[str]:
    """The names a query selects, a `*` expanded from the CTE it reads."""
    if isinstance(query, exp.Subquery | exp.CTE):
        yield from selected_columns(query.this, ctes)
    elif isinstance(query, exp.SetOperation):
        yield from selected_columns(query.left, ctes)
    else:
        assert isinstance(query, exp.Select), f"cannot read the columns of {query.sql()[:80]}"
        for projection in query.expressions:
            if isinstance(projection, exp.Star) or isinstance(projection.this, exp.Star):
                source = star_source(query, projection)
                if source in ctes:
                    yield from selected_columns(ctes[source], ctes)
                else:
                    # a mart that publishes an intermediate model: that model's columns
                    yield from model_columns(model_path(source))
            else:
                yield projection.alias_or_name


def model_path(name: str) -> Path:
    """The SQL file of the project's model `name`."""
    paths = list((ROOT / "models").rglob(f"{name}.sql"))
    assert len(paths) == 1, f"{name} is neither a CTE of the model nor one model of the project"
    return paths[0]


def model_columns(path: Path) -> list[str]:
    rendered = jinja_environment().from_string(path.read_text()).render()
    query = sqlglot.parse_one(rendered, dialect="duckdb")
    ctes = {cte.alias: cte for cte in query.ctes}
    return list(selected_columns(query, ctes))


def sql_columns(mart: Mart) -> list[str]:
    return model_columns(mart.path)


@pytest.mark.parametrize("mart", public_marts(), ids=MART_IDS)
def test_the_yaml_lists_each_marts_columns_in_the_order_its_sql_selects_them(
    mart: Mart,
) -> None:
    assert [column["name"] for column in mart.columns] == sql_columns(mart)
