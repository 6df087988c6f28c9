"""Spend by team and month: the ledger's priced calls in the reporting currency."""

from __future__ import annotations

import charts
import data
import streamlit as st
import ui
from formatting import is_missing, money, money_parts, number, share

source, chosen, currency = ui.page(
    "Spend by team",
    caption=(
        "Ledger spend: the cost of every priced call (fct_request_costs, contracted prices) in the"
        " reporting currency, by the month of the call in the reporting time zone. The total charge"
        " adds shared platform costs, the invoice true-up and the capacity pools, used and idle"
        " (fct_team_chargeback). The chart shows every month; the table the month chosen."
    ),
)

spend = ui.cached(data.spend_by_team_month, source, chosen.team, chosen.environment)
if spend.empty:
    ui.no_rows(f"no ledger spend for {chosen.team_label} in {chosen.environment_label}")
else:
    st.altair_chart(charts.spend_by_month(spend, currency), width="stretch")

month = ui.need_month(chosen)
if month is not None:
    table = ui.month_table(
        source, chosen, month, data.spend_for_month, empty="no ledger spend or charge"
    )
    if table is not None:
        total_spend = sum(table["spend"])
        total_charge = sum(value for value in table["total_charge"] if not is_missing(value))
        left, middle, right = st.columns(3)
        left.metric(f"Ledger spend, {month}", money(total_spend, currency))
        middle.metric(f"Total charge, {month}", money(total_charge, currency))
        right.metric("Requests", number(sum(table["requests"])))
        shown = ui.formatted(
            table,
            {
                "team_id": ("Team", str),
                "requests": ("Requests", number),
                "unpriced_requests": ("Unpriced requests", number),
                "spend": ("Ledger spend", str),
                "share": ("Share", share),
                "total_charge": ("Total charge", str),
            },
        )
        shown["Ledger spend"] = money_parts(list(table["spend"]), currency)
        shown["Total charge"] = money_parts(list(table["total_charge"]), currency)
        totals = {
            "Team": "total",
            "Requests": number(sum(table["requests"])),
            "Unpriced requests": number(sum(table["unpriced_requests"])),
            "Ledger spend": money(total_spend, currency),
            "Share": share(1 if total_spend else None),
            "Total charge": money(total_charge, currency),
        }
        ui.show_table(ui.with_total(shown, totals), empty="no team")
        st.caption(
            "Each column is rounded to the cent so that it still adds up to its total. Unpriced"
            " requests have no ledger cost yet: their cost reaches the teams through the invoice"
            " true-up."
        )

ui.footer(source, currency)
