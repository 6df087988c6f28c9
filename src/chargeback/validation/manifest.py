"""The dbt project as its manifest describes it: the models to validate and their data tests.

dbt writes `target/manifest.json` on every command (`dbt parse` is the cheapest). Only what the
suites are generated from is read: each model's relation, documented columns and contract,
and each data test's kind, arguments, `where` and severity.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MANIFEST = Path("target/manifest.json")
# The relations validated besides every mart: the landing data, through its typed staging model.
LANDING_MODELS = ("stg_gateway__requests",)
MARTS_FOLDER = "models/marts/"


@dataclass(frozen=True)
class Column:
    """A documented column of a model, with its contract data type when it declares one."""

    name: str
    data_type: str | None


@dataclass(frozen=True)
class Model:
    """A dbt model (or seed): its relation in the warehouse, its YAML and its contract."""

    unique_id: str
    name: str
    relation: str
    path: str
    yaml_path: str
    columns: tuple[Column, ...]
    contract_enforced: bool

    @property
    def is_mart(self) -> bool:
        return self.unique_id.startswith("model.") and self.path.startswith(MARTS_FOLDER)


@dataclass(frozen=True)
class DataTest:
    """A dbt data test. `kind` is the generic test's name; None for a singular test (SQL file)."""

    unique_id: str
    name: str
    kind: str | None
    path: str
    model: str | None
    column: str | None
    arguments: Mapping[str, Any]
    where: str | None
    severity: str
    thresholds: Mapping[str, str]
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class Project:
    """The models (and seeds) and the data tests of the dbt project."""

    nodes: Mapping[str, Model]
    tests: tuple[DataTest, ...]

    def validated_models(self) -> list[Model]:
        """Every mart (models/marts/**) and the landing models, landing first, then by name."""
        chosen = [
            model
            for model in self.nodes.values()
            if model.is_mart
            or (model.unique_id.startswith("model.") and model.name in LANDING_MODELS)
        ]
        return sorted(chosen, key=lambda model: (model.is_mart, model.name))

    def tests_of(self, model: Model) -> list[DataTest]:
        """The generic tests attached to the model, by name."""
        return sorted(
            (test for test in self.tests if test.kind and test.model == model.unique_id),
            key=lambda test: test.name,
        )

    def singular_tests_reading(self, model: Model) -> list[DataTest]:
        """The singular tests (tests/**/*.sql) that read the model, by name."""
        return sorted(
            (test for test in self.tests if not test.kind and model.unique_id in test.depends_on),
            key=lambda test: test.name,
        )


def _model(node: Mapping[str, Any]) -> Model:
    return Model(
        unique_id=node["unique_id"],
        name=node["name"],
        relation=f"{node['schema']}.{node.get('alias') or node['name']}",
        path=node["original_file_path"],
        yaml_path=(node.get("patch_path") or "").partition("://")[2] or node["original_file_path"],
        columns=tuple(
            Column(name=column["name"], data_type=column.get("data_type"))
            for column in node.get("columns", {}).values()
        ),
        contract_enforced=bool((node.get("config") or {}).get("contract", {}).get("enforced")),
    )


def _test(node: Mapping[str, Any]) -> DataTest:
    metadata = node.get("test_metadata") or {}
    arguments = {key: value for key, value in (metadata.get("kwargs") or {}).items()}
    arguments.pop("model", None)
    config = node.get("config") or {}
    column = arguments.pop("column_name", None) or node.get("column_name")
    return DataTest(
        unique_id=node["unique_id"],
        name=node["name"],
        kind=metadata.get("name"),
        path=node["original_file_path"],
        model=node.get("attached_node"),
        column=column,
        arguments=arguments,
        where=config.get("where"),
        severity=str(config.get("severity") or "error").lower(),
        thresholds={key: str(config.get(key)) for key in ("fail_calc", "warn_if", "error_if")},
        depends_on=tuple(node.get("depends_on", {}).get("nodes", [])),
    )


def load_project(manifest: Path = DEFAULT_MANIFEST) -> Project:
    """The project from a manifest.json; fails clearly when dbt has not written one yet."""
    if not manifest.exists():
        raise FileNotFoundError(
            f"no dbt manifest at {manifest}: run `dbt parse` (or any dbt command) first"
        )
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return Project(
        nodes={
            node["unique_id"]: _model(node)
            for node in nodes
            if node["resource_type"] in ("model", "seed")
        },
        tests=tuple(_test(node) for node in nodes if node["resource_type"] == "test"),
    )
