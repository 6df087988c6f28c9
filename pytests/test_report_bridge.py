"""The pack's bridge goes from the month's invoices to its total charge, line by line."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from chargeback.report.bridge import Charged, CutOff, ProviderPeriod, bridge_lines

OCTOBER, SEPTEMBER = date(2026, 10, 1), date(2026, 9, 1)


def provider_period(
    start: date, provider: str, net: str, tax: str, ledger: str, true_up: str, capacity: str = "0"
) -> ProviderPeriod:
    has_invoice = net != "0"
    return ProviderPeriod(
        start, provider, has_invoice, Decimal(net), Decimal(tax), Decimal(ledger),
        Decimal(capacity), Decimal(true_up),
    )  # fmt: skip


def test_the_bridge_ends_at_the_total_charge_and_names_each_step() -> None:
    # openai bills 110 net (+10 tax) for a ledger of 100: each unit of its October ledger is
    # charged 1.1, of its September ledger 1.2; self-hosted calls (7) have no invoice
    periods = [
        provider_period(OCTOBER, "openai", "110", "10", "100", "10"),
        provider_period(SEPTEMBER, "openai", "120", "0", "100", "20"),
        provider_period(OCTOBER, "self_hosted", "0", "0", "7", "0"),
    ]
    at = datetime(2026, 9, 30, 19, 0)
    cutoffs = [
        CutOff("in", SEPTEMBER, "openai", Decimal(5), at, datetime(2026, 9, 30, 23, 59)),
        CutOff("out", OCTOBER, "openai", Decimal(2), datetime(2026, 10, 31, 19, 5), at),
    ]
    # what the chargeback charges October: its ledger (100 - 2 out + 5 in + 7), openai's
    # true-up on it (10 less the 0.2 of the calls that went out, plus September's 1.0 on the
    # calls that came in), shared 50, self-hosted capacity 30, a correction of 3
    total = Decimal(100 - 2 + 5 + 7) + Decimal("10.8") + 50 + 30 + 3
    rows = bridge_lines(
        OCTOBER, periods, cutoffs, Charged(total, Decimal(50), Decimal(30), Decimal(3)), "USD",
        "Asia/Almaty",
    )  # fmt: skip
    amounts = {line: amount for _, line, amount, _ in rows}
    assert amounts == {
        "Invoices, gross": Decimal("120.00"),
        "Tax on the invoices": Decimal("-10.00"),
        "Calls no invoice bills": Decimal("7.00"),
        "Capacity pools no invoice bills": Decimal("30.00"),
        "Shared platform pools": Decimal("50.00"),
        "Time-zone cut-off in": Decimal("6.00"),
        "Time-zone cut-off out": Decimal("-2.20"),
        "Corrections of closed months": Decimal("3.00"),
        "Foreign exchange": Decimal("0.00"),
        "Rounding": Decimal("0.00"),
        "Total charge": Decimal("203.80"),
    }
    assert sum(row[2] for row in rows[:-1]) == rows[-1][2]
    words = {line: explanation for _, line, _, explanation in rows}
    assert "2026-09-30 19:00" in words["Time-zone cut-off in"]
    assert "billing period 2026-09" in words["Time-zone cut-off in"]
    assert words["Calls no invoice bills"].endswith("self_hosted")


def test_the_cents_the_lines_leave_are_the_rounding_line() -> None:
    periods = [provider_period(OCTOBER, "openai", "0.004", "0", "0.004", "0")]
    rows = bridge_lines(
        OCTOBER, periods, [], Charged(Decimal("10.016"), Decimal("10.012"), Decimal(0), Decimal(0)),
        "USD", "UTC",
    )  # fmt: skip
    amounts = {line: amount for _, line, amount, _ in rows}
    # the invoice shows 0.00 and the shared pools 10.01; the total charge is 10.02
    assert amounts["Invoices, gross"] + amounts["Shared platform pools"] == Decimal("10.01")
    assert amounts["Rounding"] == Decimal("0.01") and amounts["Total charge"] == Decimal("10.02")
