"""Tables of the pack, and their rounding to the currency's minor unit.

A money column is rounded with the largest-remainder method, over the whole column or within
groups (a team's bill lines), so that the rounded amounts add up to the rounded exact total.
Parts of a row (an invoice's variance and its explained parts) can be rounded along the row
instead, so that they add up to the row's rounded total. Last, a derived column (a total of
other columns) is recomputed from the rounded columns it adds up, so that rows add up too; a
row where one of those is missing (no invoice yet) keeps its own figure, rounded.
Prices per unit of work keep four decimals, ratios and percentages four decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from chargeback.rounding import largest_remainder, round_total

# Ratios and percentages are shown with 4 decimals, prices per unit of work to 1/10,000.
RATIO_DECIMALS = 4
UNIT_PRICE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Derived:
    """column = sum(sign x column) over its terms, computed after rounding."""

    column: str
    terms: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class RowParts:
    """Along each row: `parts` rounded to add up to `total` (rounded on its own)."""

    total: str
    parts: tuple[str, ...]


@dataclass
class Table:
    """One sheet of the workbook and one CSV file."""

    name: str
    file_stem: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    money: list[str] = field(default_factory=list)
    group_by: list[str] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    row_parts: list[RowParts] = field(default_factory=list)
    row_currency: str | None = None
    unit_prices: list[str] = field(default_factory=list)
    totals: bool = True

    def index(self, column: str) -> int:
        return self.columns.index(column)

    def column_values(self, column: str) -> list[Any]:
        position = self.index(column)
        return [row[position] for row in self.rows]

    def total_of(self, column: str) -> Decimal:
        return sum((Decimal(value or 0) for value in self.column_values(column)), Decimal(0))


def as_decimal(value: Any) -> Decimal:
    """A cell as a Decimal: None is 0."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rounded(table: Table, currency: str) -> Table:
    """A copy of the table with its money columns rounded (see the module's docstring)."""
    rows = [list(row) for row in table.rows]
    groups: dict[tuple[Any, ...], list[int]] = {}
    for number, row in enumerate(rows):
        key = tuple(row[table.index(column)] for column in table.group_by)
        groups.setdefault(key, []).append(number)
    for column in table.money:
        position = table.index(column)
        for members in groups.values():
            present = [number for number in members if rows[number][position] is not None]
            values = largest_remainder([as_decimal(rows[n][position]) for n in present], currency)
            for number, value in zip(present, values, strict=True):
                rows[number][position] = value
    for parts in table.row_parts:
        total_position = table.index(parts.total)
        part_positions = [table.index(part) for part in parts.parts]
        for row in rows:
            if row[total_position] is None:
                continue
            row_currency = (
                str(row[table.index(table.row_currency)]) if table.row_currency else currency
            )
            exact = [as_decimal(row[p]) for p in part_positions]
            row[total_position] = round_total(as_decimal(row[total_position]), row_currency)
            for position, value in zip(
                part_positions, largest_remainder(exact, row_currency), strict=True
            ):
                row[position] = value
    for derived in table.derived:
        position = table.index(derived.column)
        for row in rows:
            if row[position] is None:
                continue
            if any(row[table.index(term)] is None for term, _ in derived.terms):
                # a term missing (no invoice yet): the row keeps its own figure, rounded
                row_currency = (
                    str(row[table.index(table.row_currency)]) if table.row_currency else currency
                )
                row[position] = round_total(as_decimal(row[position]), row_currency)
                continue
            row[position] = sum(
                (sign * as_decimal(row[table.index(term)]) for term, sign in derived.terms),
                Decimal(0),
            )
    for row in rows:
        for position, value in enumerate(row):
            if isinstance(value, float):
                row[position] = round(value, RATIO_DECIMALS)
            elif table.columns[position] in table.unit_prices and value is not None:
                row[position] = as_decimal(value).quantize(
                    UNIT_PRICE_PLACES, rounding=ROUND_HALF_UP
                )
    return with_rows(table, rows)


def column_totals(table: Table) -> dict[str, Decimal]:
    """The sum of each money and derived column (for the totals row)."""
    summed = [*table.money, *(d.column for d in table.derived)]
    return {column: table.total_of(column) for column in summed}


def select_rows(
    rows: Sequence[Sequence[Any]], columns: Sequence[str], keep: Sequence[str]
) -> list[list[Any]]:
    """Only the `keep` columns of each row, in that order."""
    positions = [list(columns).index(column) for column in keep]
    return [[row[p] for p in positions] for row in rows]


def with_rows(table: Table, rows: list[list[Any]]) -> Table:
    """The table with other rows (its columns and settings kept)."""
    return Table(**{**table.__dict__, "rows": rows})
