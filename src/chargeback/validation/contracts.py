"""The dbt contracts, checked on the warehouse's catalogue: names, order and SQL data types.

One suite validates `information_schema.columns` of the validated relations, one row per
column, as `<position> <name> <data type>`. A contracted model's rows must be exactly its
contract's columns, in the contract's order, with the contract's types (DuckDB's spelling of
them: decimal precision and scale, integer width): every row in the contract's set, every
member of the set a row. A model without a contract must have its documented columns. The
catalogue rather than the data: the value suites read only the columns their expectations
name, and a frame's pandas types are not the warehouse's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from chargeback.validation.checks import Check, SuitePlan
from chargeback.validation.manifest import Model

# Spellings a dbt contract may use (lower case, without spaces) for DuckDB's type names.
TYPE_ALIASES = {
    "text": "varchar",
    "string": "varchar",
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "long": "bigint",
    "bool": "boolean",
    "float8": "double",
    "doubleprecision": "double",
    "float4": "float",
    "real": "float",
    "timestamptz": "timestampwithtimezone",
}

CATALOGUE_SQL = """
select
    table_schema || '.' || table_name as relation,
    ordinal_position as position,
    column_name,
    concat_ws(' ', ordinal_position, column_name, lower(replace(data_type, ' ', ''))) as defined_as
from information_schema.columns
where table_schema || '.' || table_name in ({relations})
order by relation, position
"""


def sql_type(declared: str) -> str:
    """A declared data type as DuckDB's catalogue spells it (lower case, no spaces)."""
    spelled = re.sub(r"\s+", "", declared.lower()).replace("numeric(", "decimal(")
    return TYPE_ALIASES.get(spelled, spelled)


def model_checks(model: Model) -> list[Check]:
    """The model's columns as its contract (or, without one, its YAML) declares them: each
    column of the relation is one of the contract's (name, position and type), and each of
    the contract's is there."""
    of_model = Column("relation") == model.relation
    if model.contract_enforced:
        defined = [
            f"{position} {column.name} {sql_type(column.data_type or '?')}"
            for position, column in enumerate(model.columns, start=1)
        ]
        origin = f"the dbt contract of `{model.name}` ({model.yaml_path})"
        arguments = {"column": "defined_as", "value_set": defined, "row_condition": of_model}
        return [
            Check(gx.expectations.ExpectColumnValuesToBeInSet, arguments, origin),
            Check(gx.expectations.ExpectColumnDistinctValuesToContainSet, arguments, origin),
        ]
    if not model.columns:
        return []
    documented = [column.name for column in model.columns]
    return [
        Check(
            gx.expectations.ExpectColumnDistinctValuesToContainSet,
            {"column": "column_name", "value_set": documented, "row_condition": of_model},
            origin=f"the documented columns of `{model.name}` ({model.yaml_path})",
        )
    ]


def contracts_suite(models: Sequence[Model]) -> SuitePlan:
    """The suite of every validated model's columns."""
    relations = ", ".join(f"'{model.relation}'" for model in models)
    return SuitePlan(
        name="schema.columns",
        layer="schema",
        relation="information_schema.columns",
        key_columns=("relation", "position"),
        checks=tuple(check for model in models for check in model_checks(model)),
        sql=CATALOGUE_SQL.format(relations=relations),
        description="The columns of every validated relation against its dbt contract.",
    )
