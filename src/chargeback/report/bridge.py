"""The bridge from the month's invoices to its total charge, in the reporting currency.

A controller starts from the invoices (what the company pays) and has to arrive at the
chargeback (what the teams are charged). The lines, each from the marts:

- the invoices of the billing period, gross, then their tax (kept out of the chargeback);
- the calls of providers without an invoice for the period (self-hosted models, an invoice
  still awaited), at their ledger cost;
- the capacity pools no invoice bills (self-hosted), as allocated;
- the shared platform pools, as allocated;
- the time-zone cut-off: the calls of the reporting month that another billing period's
  invoice bills come in, those of the billing period that fall into another reporting month
  go out, each at what it is charged (its ledger cost plus its share of its invoice's
  true-up, which is spread over a billing period's calls in proportion to their ledger cost);
- corrections of closed months booked in this one;
- foreign exchange: none (an invoice is converted at its billing period's first-day rate, and
  the true-up absorbs the difference from the ledger's rates);
- rounding: what the cents of the allocations and of these lines leave, so that the bridge
  ends at the total charge the Summary shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from chargeback.rounding import round_total

INVOICES = """
    select
        billing_period_start, provider, has_invoice,
        coalesce(invoice_amount_reporting, 0) as invoice_net,
        coalesce(invoice_tax_amount * invoice_fx_rate, 0) as invoice_tax,
        coalesce(ledger_amount_reporting, 0) as ledger,
        coalesce(capacity_amount_reporting, 0) as capacity,
        coalesce(variance_reporting, 0) as true_up
    from marts.fct_invoice_reconciliation
"""

# The calls of reporting month ? billed in another billing period (in), and those of billing
# period ? in another reporting month (out), by billing period and provider.
CUTOFF = """
    select
        case when period_month = ? then 'in' else 'out' end as direction,
        billing_period_start,
        provider,
        sum(cost_reporting) as ledger,
        min(occurred_at) as first_call,
        max(occurred_at) as last_call
    from marts.fct_request_costs
    where (period_month = ? and billing_period_start != ?)
        or (billing_period_start = ? and period_month != ?)
    group by 1, 2, 3
"""

CHARGEBACK = """
    select
        coalesce(sum(total_charge), 0),
        coalesce(sum(case when charge_class != 'Correction' then shared_cost end), 0),
        coalesce(
            sum(
                case when charge_class != 'Correction' then capacity_cost + idle_capacity_cost end
            ),
            0
        ),
        coalesce(sum(case when charge_class = 'Correction' then total_charge end), 0)
    from marts.fct_team_chargeback
    where period_month = ?
"""


@dataclass(frozen=True)
class ProviderPeriod:
    """A provider's billing period as the reconciliation has it (reporting currency)."""

    billing_period_start: date
    provider: str
    has_invoice: bool
    invoice_net: Decimal
    invoice_tax: Decimal
    ledger: Decimal
    capacity: Decimal
    true_up: Decimal

    @property
    def charged_per_ledger(self) -> Decimal:
        """What a unit of this period's ledger cost is charged: 1 plus its true-up share."""
        if not self.has_invoice or self.ledger == 0:
            return Decimal(1)
        return 1 + self.true_up / self.ledger


@dataclass(frozen=True)
class CutOff:
    direction: str  # in or out
    billing_period_start: date
    provider: str
    ledger: Decimal
    first_call: datetime
    last_call: datetime


@dataclass(frozen=True)
class Charged:
    total_charge: Decimal
    shared: Decimal
    capacity: Decimal
    corrections: Decimal


def _cutoff_words(calls: list[CutOff], direction: str, period: date, timezone: str) -> str:
    if not calls:
        return "no calls across the month boundary"
    first = min(call.first_call for call in calls)
    last = max(call.last_call for call in calls)
    periods = ", ".join(sorted({f"{call.billing_period_start:%Y-%m}" for call in calls}))
    when = f"calls of {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"
    if direction == "in":
        return (
            f"{when}: {period:%Y-%m} in {timezone}, on the invoices of billing period"
            f" {periods}; at their ledger cost and their share of those invoices' true-up"
        )
    return (
        f"{when}: on this billing period's invoices, another reporting month in {timezone};"
        " at their ledger cost and their share of the true-up"
    )


def bridge_lines(
    period: date,
    periods: list[ProviderPeriod],
    cutoffs: list[CutOff],
    charged: Charged,
    currency: str,
    timezone: str,
) -> list[list[Any]]:
    """The bridge's rows (step, line, amount, explanation), each amount rounded to the
    currency's minor unit, the last the total charge: the rounding line makes up the
    difference."""
    month = [item for item in periods if item.billing_period_start == period]
    invoiced = [item for item in month if item.has_invoice]
    by_key = {(item.billing_period_start, item.provider): item for item in periods}

    def charged_cost(call: CutOff) -> Decimal:
        source = by_key.get((call.billing_period_start, call.provider))
        return call.ledger * (source.charged_per_ledger if source else Decimal(1))

    coming_in = [call for call in cutoffs if call.direction == "in"]
    going_out = [call for call in cutoffs if call.direction == "out"]
    gross = sum((item.invoice_net + item.invoice_tax for item in invoiced), Decimal(0))
    tax = sum((item.invoice_tax for item in invoiced), Decimal(0))
    names = ", ".join(sorted(item.provider for item in invoiced)) or "none"
    uninvoiced = [item for item in month if not item.has_invoice]
    exact = [
        ("Invoices, gross", gross, f"the invoices of billing period {period:%Y-%m}: {names}"),
        ("Tax on the invoices", -tax, "kept out of the chargeback"),
        (
            "Calls no invoice bills",
            sum((item.ledger for item in uninvoiced), Decimal(0)),
            "at their ledger cost: "
            + (", ".join(sorted(item.provider for item in uninvoiced)) or "none"),
        ),
        (
            "Capacity pools no invoice bills",
            charged.capacity - sum((item.capacity for item in invoiced), Decimal(0)),
            "self-hosted capacity as allocated (used and idle); pools a provider invoices are"
            " in its invoice",
        ),
        ("Shared platform pools", charged.shared, "as allocated by the shared cost rules"),
        (
            "Time-zone cut-off in",
            sum((charged_cost(call) for call in coming_in), Decimal(0)),
            _cutoff_words(coming_in, "in", period, timezone),
        ),
        (
            "Time-zone cut-off out",
            -sum((charged_cost(call) for call in going_out), Decimal(0)),
            _cutoff_words(going_out, "out", period, timezone),
        ),
        (
            "Corrections of closed months",
            charged.corrections,
            "what the ledger and late invoices changed in closed months, booked in this one",
        ),
        (
            "Foreign exchange",
            Decimal(0),
            "none: each invoice is converted at its billing period's first-day rate and the"
            " true-up absorbs the difference from the ledger's rates",
        ),
    ]
    rows: list[list[Any]] = [
        [number, line, round_total(amount, currency), words]
        for number, (line, amount, words) in enumerate(exact, start=1)
    ]
    total = round_total(charged.total_charge, currency)
    shown = sum((row[2] for row in rows), Decimal(0))
    rows.append(
        [
            len(rows) + 1,
            "Rounding",
            total - shown,
            "the cents of the allocations (true-up, shared and capacity pools) and of the lines"
            " above",
        ]
    )
    rows.append([len(rows) + 1, "Total charge", total, "the Summary's total charge"])
    return rows


def bridge_rows(connection: Any, period: date, currency: str, timezone: str) -> list[list[Any]]:
    """The bridge of `period` (its first day) from the warehouse's marts."""
    periods = [ProviderPeriod(*row) for row in connection.execute(INVOICES).fetchall()]
    cutoffs = [CutOff(*row) for row in connection.execute(CUTOFF, [period] * 5).fetchall()]
    charged = Charged(*connection.execute(CHARGEBACK, [period]).fetchone())
    return bridge_lines(period, periods, cutoffs, charged, currency, timezone)
