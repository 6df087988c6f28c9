"""Each team's total charge against its budget."""

from __future__ import annotations

import charts
import data
import streamlit as st
import ui
from formatting import is_missing, money, number, percent, words

source, chosen, currency = ui.page(
    "Budget vs actual",
    caption=(
        "Actual = the total charge (ledger cost + shared platform costs + invoice true-up,"
        " fct_team_chargeback). Variance = budget - actual: negative means over budget."
    ),
)
if chosen.environment != data.ALL:
    st.caption(
        f"With the environment {chosen.environment} chosen, the budget is the part of each"
        " team's budget spread onto that environment's charge (budgets are per team and month,"
        " spread over its rows in proportion to their charge)."
    )


def status(variance: object) -> str:
    if is_missing(variance):
        return "no budget"
    return "over budget" if float(variance) < 0 else "within budget"  # type: ignore[arg-type]


month = ui.need_month(chosen)
if month is not None:
    table = ui.month_table(source, chosen, month, data.budget_vs_actual, empty="no charge")
    if table is not None:
        budgeted = table[[not is_missing(value) for value in table["budget"]]]
        left, middle, right = st.columns(3)
        left.metric("Budget", money(sum(budgeted["budget"]), currency))
        middle.metric("Actual (budgeted teams)", money(sum(budgeted["actual"]), currency))
        right.metric("Variance", money(sum(budgeted["budget_variance"]), currency))
        st.altair_chart(charts.budget_against_actual(table, currency), width="stretch")
        st.caption("Bars: total charge (red when over budget). Black ticks: the budget.")
        shown = ui.formatted(
            table.assign(status=[status(value) for value in table["budget_variance"]]),
            {
                "team_id": ("Team", str),
                "budget": ("Budget", lambda value: money(value, currency)),
                "actual": ("Actual", lambda value: money(value, currency)),
                "budget_variance": ("Variance", lambda value: money(value, currency)),
                "variance_pct": ("Variance % of budget", percent),
                "status": ("Status", str),
                "billing_mode": ("Billing mode", words),
            },
        )
        ui.show_table(shown, empty="no team")

    st.subheader(f"Month by month, {chosen.team_label}, {chosen.environment_label}")
    months = ui.cached(data.budget_by_month, source, chosen.team, chosen.environment)
    ui.show_table(
        ui.formatted(
            months.assign(status=[status(value) for value in months.get("budget_variance", [])]),
            {
                "month": ("Month", str),
                "teams": ("Teams with a budget", number),
                "budget": ("Budget", lambda value: money(value, currency)),
                "actual": ("Actual", lambda value: money(value, currency)),
                "budget_variance": ("Variance", lambda value: money(value, currency)),
                "status": ("Status", str),
            },
        ),
        empty="no team-month with a budget for these filters",
    )
    st.caption("Teams without a budget (UNALLOCATED) are left out of these sums.")

ui.footer(source, currency)
