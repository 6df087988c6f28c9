"""The model graph keeps dbt-project-evaluator's modelling rules, read from the project's files.

dbt Labs' dbt-project-evaluator needs the dbt hub, which this machine cannot reach, so its
modelling and testing rules are checked here on the graph of `ref()` and `source()` calls:
every model has a primary-key test, no model reads seven or more models and sources, no model
re-joins an upstream concept through a model that exists only for it, and no model fans out
to more than three leaf models (marts that no model reads). The few places that break a rule
on purpose are listed with the reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"

# The evaluator's defaults: too_many_joins_threshold 7, models_fanout_threshold 3.
TOO_MANY_PARENTS = 7
FANOUT_THRESHOLD = 3

# Rule breaks kept on purpose, each with its reason.
MANY_PARENTS_ALLOWED = {
    # the file inventory counts the records each source's staging model read, one parent a source
    "int_landed_files_accounted",
}
FANOUT_ALLOWED = {
    # the ledger's daily summary is what four marts share, read once instead of the ledger
    "int_ledger_days_summarised",
}
REJOINS_ALLOWED = {
    # a closed month's rows are frozen in an incremental copy of the computed rows; the mart is
    # the computed rows of the open months and the frozen rows of the closed ones
    ("int_team_bill_lines_computed", "int_closed_team_bill_lines", "fct_team_bill_lines"),
    ("int_focus_charges_computed", "int_closed_focus_charges", "fct_focus_costs"),
}


def model_parents() -> dict[str, set[str]]:
    """Each model's parents: the models it refs and the sources it reads (as 'source:x.y');
    seeds, reference data every layer may read, are not part of the graph the rules judge."""
    models = {path.stem for path in MODELS.rglob("*.sql")}
    parents: dict[str, set[str]] = {}
    for path in MODELS.rglob("*.sql"):
        text = path.read_text()
        refs = set(re.findall(r"ref\(\s*['\"]([a-z0-9_]+)['\"]\s*\)", text)) & models
        sources = {
            f"source:{a}.{b}"
            for a, b in re.findall(r"source\(\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]", text)
        }
        parents[path.stem] = refs | sources
    return parents


def model_children(parents: dict[str, set[str]]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = defaultdict(set)
    for model, its_parents in parents.items():
        for parent in its_parents:
            children[parent].add(model)
    return children


def model_properties() -> dict[str, dict[str, Any]]:
    properties: dict[str, dict[str, Any]] = {}
    for path in MODELS.rglob("_*__models.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            properties[model["name"]] = model
    return properties


def name_of(test: Any) -> str:
    return test if isinstance(test, str) else next(iter(test))


def has_primary_key_test(model: dict[str, Any]) -> bool:
    if any(name_of(test) == "grain_is_unique" for test in model.get("data_tests") or []):
        return True
    for column in model.get("columns") or []:
        names = {name_of(test) for test in column.get("data_tests") or []}
        if {"unique", "not_null"} <= names:
            return True
    return False


def test_the_graph_reads_every_model() -> None:
    parents = model_parents()
    assert len(parents) >= 60
    assert parents["fct_team_chargeback"], "the ref() pattern found no parent"


def test_every_model_has_a_primary_key_test() -> None:
    properties = model_properties()
    missing = sorted(
        name
        for name in model_parents()
        if name not in properties or not has_primary_key_test(properties[name])
    )
    assert missing == []


def test_no_model_reads_too_many_models_and_sources() -> None:
    crowded = {
        model: len(its_parents)
        for model, its_parents in model_parents().items()
        if len(its_parents) >= TOO_MANY_PARENTS and model not in MANY_PARENTS_ALLOWED
    }
    assert crowded == {}


def test_no_model_rejoins_an_upstream_concept() -> None:
    """A -> B -> C and A -> C, where B's only child is C: B belongs inside C."""
    parents = model_parents()
    children = model_children(parents)
    rejoins = {
        (a, b, c)
        for c, its_parents in parents.items()
        for b in its_parents
        if children[b] == {c}
        for a in parents.get(b, set()) & its_parents
    }
    assert rejoins - REJOINS_ALLOWED == set()
    assert rejoins >= REJOINS_ALLOWED, "an allowed rejoin no longer exists: drop it from the list"


def test_no_model_fans_out_to_more_than_three_leaf_models() -> None:
    parents = model_parents()
    children = model_children(parents)
    leaves = {model for model in parents if not children[model]}
    fanning = {
        model: sorted(children[model] & leaves)
        for model in parents
        if len(children[model] & leaves) > FANOUT_THRESHOLD and model not in FANOUT_ALLOWED
    }
    assert fanning == {}


def test_no_model_hard_codes_a_relation() -> None:
    schemas = "landing|staging|intermediate|marts|reference|main"
    pattern = re.compile(rf"\b(?:from|join)\s+\"?(?:{schemas})\"?\.\"?[a-z_]+", re.IGNORECASE)
    hard_coded = sorted(
        str(path.relative_to(ROOT))
        for path in MODELS.rglob("*.sql")
        if pattern.search(re.sub(r"--[^\n]*|/\*.*?\*/", "", path.read_text(), flags=re.DOTALL))
    )
    assert hard_coded == []
