"""Plain column headers for the workbook, with the currency or % in them.

The workbook shows a plain header ("Invoice true-up (KZT)") above each column's field name (the
name the CSV files, the marts and the analyses use). Percentages follow one convention there: a
column whose name ends in `_pct` holds per cent in the marts (4.17 for 4.17%) and one ending in
`_share` a fraction (0.0417); the workbook shows both as a fraction formatted as a percentage.
The CSV files keep the field names and the marts' values.
"""

from __future__ import annotations

from typing import Any

from chargeback.report.tables import Table, as_decimal

# Field names whose plain words are not the name with spaces.
WORDS = {
    "team_id": "Team",
    "product_id": "Product",
    "scenario_id": "Scenario",
    "api_key_id": "API key",
    "invoice_id": "Invoice",
    "idle_owner_team_id": "Idle capacity owner",
    "invoice_true_up": "Invoice true-up",
    "timezone_cutoff_amount": "Time-zone cut-off",
    "budget_variance": "Budget left (budget - charge)",
    "budget_variance_year_to_date": "Budget left, year to date",
    "variance": "Variance (invoice - ledger - pools)",
    "variance_pct": "Variance",
    "budget_used_pct": "Budget used",
    "cost_center": "Cost centre",
    "billing_mode": "Billing mode",
    "price_per_unit": "Price per unit",
    "cost_per_unit": "Cost per unit",
    "prior_cost_per_unit": "Cost per unit, last month",
    "invoice_tax_amount": "Tax on the invoice",
    "unexplained_amount": "Unexplained",
    "main_reason": "Main reason",
    "variance_explanation": "Explanation",
    "invoice_lines_cited": "The invoice's discount, credit, fee and adjustment lines",
    "contract_discount_amount": "Of the ledger, taken off by the contract",
    "used_share": "Capacity used",
    "team_tag_share": "Calls with that team tag",
    "product_share": "Calls of that product",
}
SUFFIXES = {"_reporting": None, "_usd": "USD"}


def is_percentage(column: str) -> bool:
    return column.endswith(("_pct", "_share"))


def as_fraction(column: str, value: Any) -> Any:
    """A percentage's value as the workbook holds it: per cent (`_pct`) divided by 100."""
    if value is None or not column.endswith("_pct"):
        return value
    return as_decimal(value) / 100


def money_columns(table: Table) -> set[str]:
    """The columns that hold money: rounded, summed, derived, and the parts of a row's total."""
    columns = {*table.money, *(derived.column for derived in table.derived)}
    for parts in table.row_parts:
        columns |= {parts.total, *parts.parts}
    return columns


def plain_header(table: Table, column: str, currency: str) -> str:
    """The column's header in words: its unit in brackets (the reporting currency, USD, the
    invoice's currency on a sheet of invoices, or %)."""
    name, unit = column, None
    for suffix, suffix_unit in SUFFIXES.items():
        if column.endswith(suffix):
            name, unit = column.removesuffix(suffix), suffix_unit or currency
    words = WORDS.get(name) or WORDS.get(column) or name.replace("_", " ").capitalize()
    if is_percentage(column):
        return f"{words} (%)"
    if column in money_columns(table):
        if unit is None:
            unit = "invoice currency" if table.row_currency else currency
        return f"{words} ({unit})"
    return words
