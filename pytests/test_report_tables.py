"""The month-end pack rounds amounts so that every column and every row still adds up."""

from __future__ import annotations

from decimal import Decimal

from chargeback.report.consistent import CHARGE_PARTS, one_figure_per_amount
from chargeback.report.tables import Derived, RowParts, Table, column_totals, rounded

THIRD = Decimal(10) / Decimal(3)
HALF_CENT = Decimal("0.005")


def test_a_teams_bill_lines_add_up_to_the_teams_rounded_total() -> None:
    table = Table(
        name="Draft bills", file_stem="draft_bills", title="", columns=["team_id", "amount"],
        rows=[["a", THIRD], ["a", THIRD], ["a", THIRD], ["b", HALF_CENT], ["b", HALF_CENT]],
        money=["amount"], group_by=["team_id"],
    )  # fmt: skip
    result = rounded(table, "KZT")
    amounts = {team: [row[1] for row in result.rows if row[0] == team] for team in ("a", "b")}
    assert sum(amounts["a"]) == Decimal("10.00")
    assert sorted(amounts["a"]) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert sum(amounts["b"]) == Decimal("0.01")


def test_a_derived_total_is_the_sum_of_its_rounded_parts_on_every_row() -> None:
    table = Table(
        name="Summary", file_stem="summary", title="", columns=["ledger", "shared", "total"],
        rows=[[THIRD, THIRD, THIRD * 2], [THIRD, THIRD, THIRD * 2], [THIRD, THIRD, THIRD * 2]],
        money=["ledger", "shared"], derived=[Derived("total", (("ledger", 1), ("shared", 1)))],
    )  # fmt: skip
    result = rounded(table, "USD")
    for ledger, shared, total in result.rows:
        assert ledger + shared == total
    totals = column_totals(result)
    assert totals["ledger"] == Decimal("10.00") and totals["total"] == Decimal("20.00")


def test_an_invoices_variance_parts_add_up_to_its_rounded_variance() -> None:
    parts = [Decimal("-5.894"), Decimal("0.1551"), Decimal("0.0093"), Decimal("0.0000004")]
    variance = sum(parts, Decimal(0))
    table = Table(
        name="Reconciliation", file_stem="reconciliation", title="",
        columns=["currency", "variance", "p1", "p2", "p3", "p4"],
        rows=[["USD", variance, *parts]],
        row_parts=[RowParts("variance", ("p1", "p2", "p3", "p4"))],
        row_currency="currency", totals=False,
    )  # fmt: skip
    row = rounded(table, "KZT").rows[0]
    assert row[1] == Decimal("-5.73")
    assert sum(row[2:]) == row[1]


def test_a_currency_without_minor_units_rounds_to_whole_units_the_largest_remainder_first() -> None:
    table = Table(
        name="t", file_stem="t", title="", columns=["amount"],
        rows=[[Decimal("100.4")], [Decimal("100.4")], [Decimal("100.2")]], money=["amount"],
    )  # fmt: skip
    assert [row[0] for row in rounded(table, "JPY").rows] == [
        Decimal("101"),
        Decimal("100"),
        Decimal("100"),
    ]


# Chargeback rows (team, product, usage cost, shared cost) whose figures, rounded sheet by
# sheet, disagree: b's charge is 0.00 on the Team chargeback (each column's cents go to a's
# first row) but 0.01 on its bill (0.004 + 0.004 rounded alone).
OWNERS = [("a", "p1"), ("a", "p2"), ("b", "p1")]
TINY = Decimal("0.004")


def pack_tables() -> list[Table]:
    """The Summary, Team chargeback, Draft bills and Budget of OWNERS' rows: each row
    TINY of usage and TINY of shared cost, a bill line for each row's usage and one for each
    team's shared cost, a budget of 20 for a and none for b."""
    parts = [
        "usage_cost", "retry_cost", "failed_cost", "shared_cost", "invoice_true_up",
        "capacity_cost", "idle_capacity_cost",
    ]  # fmt: skip
    zero = Decimal(0)
    teams = sorted({team for team, _ in OWNERS})
    rows_of = {team: sum(1 for owner, _ in OWNERS if owner == team) for team in teams}
    budgets = {"a": Decimal(20), "b": zero}
    chargeback = Table(
        name="Team chargeback", file_stem="team_chargeback", title="",
        columns=["team_id", "product_id", *parts, "ledger_cost", "total_charge", "budget",
                 "budget_variance"],
        rows=[[team, product, TINY, zero, zero, TINY, zero, zero, zero, TINY, 2 * TINY, None,
               None] for team, product in OWNERS],
        money=[*parts, "budget"],
        derived=[Derived("ledger_cost", (("usage_cost", 1), ("retry_cost", 1), ("failed_cost", 1))),
                 Derived("total_charge", tuple((part, 1) for part in parts))],
    )  # fmt: skip
    summary = Table(
        name="Summary", file_stem="summary", title="",
        columns=["team_id", "ledger_cost", "shared_cost", "invoice_true_up", "capacity_cost",
                 "idle_capacity_cost", "total_charge", "budget", "budget_variance"],
        rows=[[team, rows_of[team] * TINY, rows_of[team] * TINY, zero, zero, zero,
               2 * rows_of[team] * TINY, budgets[team], budgets[team] - 2 * rows_of[team] * TINY]
              for team in teams],
        money=["ledger_cost", "shared_cost", "invoice_true_up", "capacity_cost",
               "idle_capacity_cost", "budget"],
        derived=[Derived("total_charge", (("ledger_cost", 1), ("shared_cost", 1))),
                 Derived("budget_variance", (("budget", 1), ("total_charge", -1)))],
    )  # fmt: skip
    bills = Table(
        name="Draft bills", file_stem="draft_bills", title="",
        columns=["team_id", "line_type", "amount"],
        rows=[*([team, "scenario", TINY] for team, _ in OWNERS),
              *([team, "shared_costs", rows_of[team] * TINY] for team in teams)],
        money=["amount"], group_by=["team_id"],
    )  # fmt: skip
    budget = Table(
        name="Budget", file_stem="budget_vs_actual", title="",
        columns=["team_id", "budget", "total_charge", "budget_variance"],
        rows=[[team, budgets[team], 2 * rows_of[team] * TINY,
               budgets[team] - 2 * rows_of[team] * TINY] for team in teams],
        money=["budget", "total_charge"],
        derived=[Derived("budget_variance", (("budget", 1), ("total_charge", -1)))],
    )  # fmt: skip
    return [summary, chargeback, bills, budget]


def sheet_figures(tables: list[Table]) -> dict[str, dict[str, dict[str, Decimal]]]:
    """Per sheet and team: its charge and its shared cost as the sheet shows them."""
    by_name = {table.name: table for table in tables}
    figures: dict[str, dict[str, dict[str, Decimal]]] = {}
    for sheet, charge, shared in (
        ("Summary", "total_charge", "shared_cost"),
        ("Team chargeback", "total_charge", "shared_cost"),
        ("Draft bills", "amount", None),
        ("Budget", "total_charge", None),
    ):
        table = by_name[sheet]
        teams: dict[str, dict[str, Decimal]] = {}
        for row in table.rows:
            team = teams.setdefault(row[0], {"charge": Decimal(0), "shared": Decimal(0)})
            team["charge"] += row[table.index(charge)]
            if shared:
                team["shared"] += row[table.index(shared)]
            elif sheet == "Draft bills" and row[table.index("line_type")] == "shared_costs":
                team["shared"] += row[table.index("amount")]
        figures[sheet] = teams
    return figures


def test_a_teams_charge_is_one_figure_on_every_sheet_that_shows_it() -> None:
    exact = pack_tables()
    alone = [rounded(table, "USD") for table in exact]
    apart = sheet_figures(alone)
    assert apart["Team chargeback"]["b"]["charge"] == Decimal("0.00")
    assert apart["Draft bills"]["b"]["charge"] == Decimal("0.01")

    figures = sheet_figures(one_figure_per_amount(exact, alone, "USD"))
    # a's exact charge is 0.016, b's 0.008: the month's 0.024 is 0.02, and its last cent goes
    # to the team that lost most in rounding, b
    for team, expected in (("a", Decimal("0.01")), ("b", Decimal("0.01"))):
        assert {sheet: figures[sheet][team]["charge"] for sheet in figures} == {
            "Summary": expected, "Team chargeback": expected, "Draft bills": expected,
            "Budget": expected,
        }  # fmt: skip
    for sheet in ("Summary", "Draft bills"):  # shared cost: the Team chargeback's, per team
        for team in ("a", "b"):
            assert figures[sheet][team]["shared"] == figures["Team chargeback"][team]["shared"]
    # the teams add up to the month's exact total, rounded
    assert sum(figures["Summary"][team]["charge"] for team in ("a", "b")) == Decimal("0.02")


def test_a_rows_parts_add_up_to_the_row_and_the_rows_to_the_teams_charge() -> None:
    exact = pack_tables()
    tables = one_figure_per_amount(exact, [rounded(table, "USD") for table in exact], "USD")
    chargeback = tables[1]
    for row in chargeback.rows:
        parts = [row[chargeback.index(column)] for column in CHARGE_PARTS]
        assert sum(parts) == row[chargeback.index("total_charge")]
        assert row[chargeback.index("ledger_cost")] == row[chargeback.index("usage_cost")]
    budget = tables[3]
    for row in budget.rows:
        assert row[budget.index("budget_variance")] == row[1] - row[2]


def test_a_provider_without_an_invoice_keeps_its_ledger_on_the_reconciliation() -> None:
    table = Table(
        name="Reconciliation", file_stem="reconciliation", title="",
        columns=["provider", "invoice_currency", "invoice_amount", "ledger_amount",
                 "capacity_amount", "variance"],
        rows=[["azure", "USD", Decimal("150.87"), Decimal("0.880561"), Decimal(150),
               Decimal("-0.010561")],
              ["self_hosted", "USD", None, Decimal("0.0517345"), Decimal(0), None]],
        row_parts=[RowParts("variance", ()), RowParts("invoice_amount", ())],
        derived=[Derived("ledger_amount", (("invoice_amount", 1), ("capacity_amount", -1),
                                           ("variance", -1)))],
        row_currency="invoice_currency", totals=False,
    )  # fmt: skip
    azure, self_hosted = rounded(table, "KZT").rows
    # the ledger is what the invoice leaves once the pools and the variance are taken out
    assert azure[3] == Decimal("150.87") - 150 - Decimal("-0.01") == Decimal("0.88")
    assert self_hosted[3] == Decimal("0.05")  # not 0: there is no invoice to take it from
