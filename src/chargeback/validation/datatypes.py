"""A dbt contract's data types as a GX expectation on a frame read from DuckDB through Arrow.

The reader keeps every column in its Arrow type (pandas `ArrowDtype`), so a frame's column
types are the warehouse's, down to decimal precision and scale and integer width. GX has no
expectation that compares SQL types on a pandas frame, hence `ExpectColumnsToHaveDataTypes`:
the contract's declared types, each mapped to the Arrow type DuckDB hands it over as
(`hugeint` and `decimal(38,0)` both arrive as decimal128(38, 0), the one pair it cannot tell
apart).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import pandas as pd
from great_expectations.expectations.expectation import BatchExpectation

# DuckDB's SQL types (and the aliases dbt contracts may spell them with) to their Arrow names.
ARROW_OF_SQL = {
    "varchar": "string",
    "text": "string",
    "string": "string",
    "boolean": "bool",
    "bool": "bool",
    "tinyint": "int8",
    "smallint": "int16",
    "integer": "int32",
    "int": "int32",
    "bigint": "int64",
    "hugeint": "decimal128(38, 0)",
    "double": "double",
    "float8": "double",
    "real": "float",
    "float": "float",
    "date": "date32[day]",
    "timestamp": "timestamp[us]",
    "timestamptz": "timestamp[us, tz=UTC]",
    "timestamp with time zone": "timestamp[us, tz=UTC]",
}
DECIMAL = re.compile(r"(?:decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)")


def arrow_type_of(sql_type: str) -> str:
    """The Arrow type DuckDB reads a column of this SQL type as (the SQL text when unknown)."""
    spelled = " ".join(sql_type.lower().split())
    decimal = DECIMAL.fullmatch(spelled)
    if decimal:
        return f"decimal128({decimal.group(1)}, {decimal.group(2)})"
    return ARROW_OF_SQL.get(spelled, spelled)


def observed_type(dtype: Any) -> str:
    """A frame column's type as Arrow names it (numpy dtypes by their own name)."""
    if isinstance(dtype, pd.ArrowDtype):
        return str(dtype.pyarrow_dtype)
    return str(dtype)


class ExpectColumnsToHaveDataTypes(BatchExpectation):
    """Each listed column has the data type a dbt contract declares for it.

    column_types: {column: SQL data type as the contract declares it}. A missing column
    counts as a mismatch.
    """

    column_types: dict[str, str]

    metric_dependencies = ("table.column_types",)
    domain_keys = ("batch_id", "row_condition", "condition_parser")
    success_keys = ("column_types",)
    args_keys = ("column_types",)
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["dbt contract"], "contributors": []}

    def _validate(
        self,
        metrics: dict[str, Any],
        runtime_configuration: dict[str, Any] | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        observed = {
            column["name"]: observed_type(column["type"])
            for column in metrics["table.column_types"]
        }
        mismatched = [
            {"column": column, "declared": declared, "found": observed.get(column, "missing")}
            for column, declared in self.column_types.items()
            if observed.get(column) != arrow_type_of(declared)
        ]
        return {
            "success": not mismatched,
            "result": {
                "observed_value": f"{len(mismatched)} mismatched",
                "details": {"mismatched": mismatched},
            },
        }
