"""What a suite is made of: expectations with their origin, the columns DuckDB computes.

A `Check` keeps a GX expectation class and its arguments (every run builds fresh objects) and
says where the rule comes from (a dbt test, the contract, the history checks). A `SqlColumn`
is a boolean column DuckDB evaluates when it reads the relation: a dbt test written in SQL
(`holds_for_every_row`, a `where`) is checked by GX on that column, exactly, on the decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

Severity = Literal["critical", "warning"]
Layer = Literal["schema", "landing", "marts", "history"]


@dataclass(frozen=True)
class SqlColumn:
    """A boolean column added to the frame: `coalesce((sql), false)` per row of the relation."""

    name: str
    sql: str

    def select(self) -> str:
        quoted = '"' + self.name.replace('"', '""') + '"'
        return f"coalesce(({self.sql}), false) as {quoted}"


@dataclass(frozen=True)
class Check:
    """One expectation: its GX class and arguments, its origin, and how bad a failure is.

    value_set_from: (relation, column) whose distinct values become the `value_set`, read from
    the warehouse at run time (a relationships test to a seed). description: what the Data
    Docs show instead of GX's own wording (for rules GX cannot word itself).
    """

    kind: type[Expectation]
    arguments: Mapping[str, Any]
    origin: str
    severity: Severity = "critical"
    note: str = ""
    description: str | None = None
    value_set_from: tuple[str, str] | None = None

    def build(self, value_sets: Mapping[tuple[str, str], Sequence[Any]]) -> Expectation:
        """A new GX expectation object for this check."""
        arguments = dict(self.arguments)
        if self.value_set_from is not None:
            arguments["value_set"] = list(value_sets.get(self.value_set_from, ()))
        notes = [f"From {self.origin}.", *([self.note] if self.note else [])]
        if self.description:
            arguments["description"] = self.description
        return self.kind(
            **arguments,
            notes=notes,
            severity=FailureSeverity(self.severity),
            meta={"origin": self.origin},
        )

    def where(self, rows: SqlColumn) -> Check:
        """The same check on the rows where the computed column is true only."""
        condition = Column(rows.name) == True  # noqa: E712 (a GX condition, not a comparison)
        note = " ".join(filter(None, [self.note, f"Only the rows where {rows.sql}."]))
        return replace(self, arguments={**self.arguments, "row_condition": condition}, note=note)


@dataclass(frozen=True)
class NotMirrored:
    """A dbt test GX does not restate, and why: it stays dbt's alone."""

    test: str
    path: str
    reason: str


@dataclass(frozen=True)
class Translation:
    """A dbt test as GX checks, with the columns DuckDB must compute for them."""

    checks: tuple[Check, ...]
    columns: tuple[SqlColumn, ...] = field(default=())


@dataclass(frozen=True)
class SuitePlan:
    """One relation (or a query) and everything it is validated against.

    columns: the boolean columns DuckDB computes on reading; mirrored, not_mirrored and
    held_by_dbt: the dbt tests restated here, those left out (with why) and the singular tests
    that read the relation. sql: a query whose result is validated instead of the relation
    (`{relation}` in it is the relation as read); reads: columns of the relation it needs.
    """

    name: str
    layer: Layer
    relation: str
    key_columns: tuple[str, ...]
    checks: tuple[Check, ...]
    columns: tuple[SqlColumn, ...] = ()
    mirrored: tuple[str, ...] = ()
    not_mirrored: tuple[NotMirrored, ...] = ()
    held_by_dbt: tuple[str, ...] = ()
    sql: str | None = None
    reads: tuple[str, ...] = ()
    description: str = ""

    @property
    def reads_relation(self) -> bool:
        """The relation itself is read (not only queried through `sql`)."""
        return self.sql is None or "{relation}" in self.sql

    def columns_read(self) -> list[str]:
        """The relation's columns this suite needs: keys, `reads`, and every column an
        expectation names (computed columns excepted: DuckDB adds those); a query's: `reads`."""
        if self.sql is not None:
            return list(self.reads)
        computed = {column.name for column in self.columns}
        named: list[str] = [*self.key_columns, *self.reads]
        for check in self.checks:
            named.extend(filter(None, [check.arguments.get("column")]))
            named.extend(check.arguments.get("column_list") or [])
        return [column for column in dict.fromkeys(named) if column not in computed]
