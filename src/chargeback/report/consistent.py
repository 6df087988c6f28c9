"""One rounded figure per amount, on every sheet that shows it.

Rounded sheet by sheet, a team's charge came out a cent apart on the Summary, the Team
chargeback and the Draft bills (each sheet's largest-remainder rounding starts from other
exact parts). Here the chargeback sets the figures and the other sheets take them:

1. Each team's charge is rounded once, over the teams: their exact totals by the largest
   remainder, so that the teams add up to the month's exact total, rounded.
2. Team chargeback: a team's rows are rounded to add up to the team's charge, and each row's
   parts (usage, retries, failed, shared, true-up, capacity, idle capacity) to add up to the
   row; its ledger cost and total charge are the sums of its rounded parts.
3. Summary: a team's parts are the sums of its rounded Team chargeback cells.
4. Draft bills: a team's lines of one part (its scenario and spike lines are its usage; its
   invoice true-up and unlogged spend lines are its true-up) are rounded to add up to that
   part on the Team chargeback.
5. Budget: a team's charge is the Team chargeback's.

Every table is first rounded on its own (tables.rounded); this module then replaces the money
of these four, from their exact rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from chargeback.report.tables import Table, as_decimal, with_rows
from chargeback.rounding import largest_remainder, largest_remainder_to

# The parts of a chargeback row that add up to its total charge (fct_team_chargeback).
CHARGE_PARTS = (
    "usage_cost",
    "retry_cost",
    "failed_cost",
    "shared_cost",
    "invoice_true_up",
    "capacity_cost",
    "idle_capacity_cost",
)
LEDGER_PARTS = ("usage_cost", "retry_cost", "failed_cost")
# Which part of the chargeback each draft bill line belongs to.
BILL_LINE_PARTS = {
    "scenario": "usage_cost",
    "spike": "usage_cost",
    "retries": "retry_cost",
    "failed": "failed_cost",
    "shared_costs": "shared_cost",
    "invoice_true_up": "invoice_true_up",
    "unlogged_spend": "invoice_true_up",
    "capacity": "capacity_cost",
    "idle_capacity": "idle_capacity_cost",
}

TeamParts = dict[Any, dict[str, Decimal]]


def _cells(table: Table, row: Sequence[Any], columns: Sequence[str]) -> list[Decimal]:
    return [as_decimal(row[table.index(column)]) for column in columns]


def chargeback_figures(exact: Table, currency: str) -> tuple[list[list[Any]], TeamParts]:
    """The Team chargeback's rows with their charge parts rounded (steps 1 and 2), and each
    team's sum of its rounded parts."""
    team_position = exact.index("team_id")
    members: dict[Any, list[int]] = {}
    for number, row in enumerate(exact.rows):
        members.setdefault(row[team_position], []).append(number)
    teams = list(members)
    team_exact = [
        sum((sum(_cells(exact, exact.rows[n], CHARGE_PARTS)) for n in members[team]), Decimal(0))
        for team in teams
    ]
    team_charges = dict(zip(teams, largest_remainder(team_exact, currency), strict=True))
    rows = [list(row) for row in exact.rows]
    parts: TeamParts = {}
    for team, numbers in members.items():
        row_exact = [sum(_cells(exact, exact.rows[n], CHARGE_PARTS)) for n in numbers]
        row_totals = largest_remainder_to(row_exact, team_charges[team], currency)
        team_parts = dict.fromkeys(CHARGE_PARTS, Decimal(0))
        for number, row_total in zip(numbers, row_totals, strict=True):
            cells = _cells(exact, exact.rows[number], CHARGE_PARTS)
            for column, value in zip(
                CHARGE_PARTS, largest_remainder_to(cells, row_total, currency), strict=True
            ):
                if exact.rows[number][exact.index(column)] is not None or value != 0:
                    rows[number][exact.index(column)] = value
                team_parts[column] += value
            rows[number][exact.index("ledger_cost")] = sum(
                _cells(exact, rows[number], LEDGER_PARTS), Decimal(0)
            )
            rows[number][exact.index("total_charge")] = row_total
        parts[team] = team_parts
    return rows, parts


def _budget_variance(table: Table, rows: list[list[Any]]) -> None:
    if "budget_variance" not in table.columns:
        return
    for row in rows:
        if row[table.index("budget_variance")] is None:
            continue
        row[table.index("budget_variance")] = as_decimal(row[table.index("budget")]) - as_decimal(
            row[table.index("total_charge")]
        )


def summary_figures(rounded: Table, parts: TeamParts) -> Table:
    """Step 3: the Summary's parts and charge per team from the Team chargeback."""
    rows = [list(row) for row in rounded.rows]
    for row in rows:
        team = parts.get(row[rounded.index("team_id")])
        if team is None:
            continue
        row[rounded.index("ledger_cost")] = sum((team[p] for p in LEDGER_PARTS), Decimal(0))
        for column in CHARGE_PARTS:
            if column in rounded.columns:
                row[rounded.index(column)] = team[column]
        row[rounded.index("total_charge")] = sum(team.values(), Decimal(0))
    _budget_variance(rounded, rows)
    return with_rows(rounded, rows)


def bill_figures(exact: Table, rounded: Table, parts: TeamParts, currency: str) -> Table:
    """Step 4: each team's bill lines of one part rounded to add up to that part."""
    rows = [list(row) for row in rounded.rows]
    groups: dict[tuple[Any, str], list[int]] = {}
    for number, row in enumerate(exact.rows):
        part = BILL_LINE_PARTS.get(row[exact.index("line_type")])
        if part is None:
            raise ValueError(f"draft bill line type without a chargeback part: {row}")
        groups.setdefault((row[exact.index("team_id")], part), []).append(number)
    amount = exact.index("amount")
    for (team, part), numbers in groups.items():
        target = parts.get(team, {}).get(part)
        if target is None:
            continue
        exact_amounts = [as_decimal(exact.rows[n][amount]) for n in numbers]
        for number, value in zip(
            numbers, largest_remainder_to(exact_amounts, target, currency), strict=True
        ):
            rows[number][amount] = value
    return with_rows(rounded, rows)


def budget_figures(rounded: Table, parts: TeamParts) -> Table:
    """Step 5: the team's charge on the Budget sheet is the Team chargeback's."""
    rows = [list(row) for row in rounded.rows]
    for row in rows:
        team = parts.get(row[rounded.index("team_id")])
        if team is not None:
            row[rounded.index("total_charge")] = sum(team.values(), Decimal(0))
    _budget_variance(rounded, rows)
    return with_rows(rounded, rows)


def one_figure_per_amount(
    exact: Sequence[Table], rounded: Sequence[Table], currency: str
) -> list[Table]:
    """The rounded tables, with the Summary, Team chargeback, Draft bills and Budget showing
    one figure per amount (the module's steps)."""
    exact_by_name: Mapping[str, Table] = {table.name: table for table in exact}
    if "Team chargeback" not in exact_by_name:
        return list(rounded)
    chargeback_exact = exact_by_name["Team chargeback"]
    chargeback_rows, parts = chargeback_figures(chargeback_exact, currency)
    result = []
    for table in rounded:
        if table.name == "Team chargeback":
            rows = [list(row) for row in table.rows]
            for row, figures in zip(rows, chargeback_rows, strict=True):
                for column in (*CHARGE_PARTS, "ledger_cost", "total_charge"):
                    row[table.index(column)] = figures[table.index(column)]
            _budget_variance(table, rows)
            table = with_rows(table, rows)
        elif table.name == "Summary":
            table = summary_figures(table, parts)
        elif table.name == "Draft bills":
            table = bill_figures(exact_by_name["Draft bills"], table, parts, currency)
        elif table.name == "Budget":
            table = budget_figures(table, parts)
        result.append(table)
    return result
