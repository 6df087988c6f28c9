"""The month-end pack rounds amounts so that every column and every row still adds up."""

from __future__ import annotations

from decimal import Decimal

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
