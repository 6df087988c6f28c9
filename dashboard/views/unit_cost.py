"""The cost of one unit of work of a scenario, month by month, with its model and prompt changes."""

from __future__ import annotations

import charts
import data
import pandas as pd
import streamlit as st
import ui
from formatting import day, is_missing, money, month_name, number, percent, words

source, chosen, currency = ui.page(
    "Unit cost",
    caption=(
        "Cost per unit of work (a conversation, a document, a ticket...) = the scenario's ledger"
        " cost / its units. The dashed lines mark the days the scenario's dominant model or prompt"
        " template changed; the circled point is the month chosen in the sidebar."
    ),
    team="unit cost is per product and scenario, whichever team sends the calls",
    env="unit cost counts every environment's calls",
)

every = ui.cached(data.scenarios, source)
by_key = {scenario.key: scenario for scenario in every}
default = ui.cached(data.default_scenario, source)
keys = list(by_key)
picked = st.selectbox(
    "Scenario",
    keys,
    index=keys.index(default) if default in by_key else None,
    key="scenario",
    bind="query-params",
)


def show_months(trend: pd.DataFrame, unit_name: str) -> None:
    table = pd.DataFrame(
        {
            "Month": trend["month"],
            f"Units ({unit_name})": [number(value) for value in trend["units"]],
            "Total cost": [money(value, currency) for value in trend["total_cost"]],
            f"Cost per {unit_name}": [money(value, currency) for value in trend["cost_per_unit"]],
            "Change": [percent(value, 1) for value in trend["cost_per_unit_change_pct"]],
            "Main model": trend["main_model"].fillna("—"),
            "Why": ["" if is_missing(value) else str(value) for value in trend["change_reason"]],
        }
    )
    ui.show_table(table, empty="no month")


def show_changes(changes: pd.DataFrame) -> None:
    st.subheader("Model and prompt changes")
    table = pd.DataFrame(
        {
            "Day": [day(value) for value in changes["change_date"]],
            "Change": [words(value) for value in changes["change_type"]],
            "From": changes["changed_from"],
            "To": changes["changed_to"],
        }
    )
    ui.show_table(table, empty="the scenario's dominant model and prompt template never changed")


if picked is None:
    ui.no_rows("no scenario has a unit cost (fct_scenario_unit_cost is empty)")
else:
    scenario = by_key[picked]
    trend = ui.cached(data.unit_cost_trend, source, scenario.product_id, scenario.scenario_id)
    changes = ui.cached(data.scenario_changes, source, scenario.product_id, scenario.scenario_id)
    st.subheader(f"Cost per {scenario.unit_name}: {scenario.product_id} / {scenario.scenario_id}")
    if trend.empty:
        ui.no_rows("the scenario has no month with a unit cost")
    else:
        chart = charts.unit_cost_trend(trend, changes, currency, scenario.unit_name, chosen.month)
        st.altair_chart(chart, width="stretch")
        chosen_row = trend[trend["month"] == chosen.month]
        if not chosen_row.empty and chosen.month is not None:
            row = chosen_row.iloc[0]
            st.metric(
                f"Cost per {scenario.unit_name}, {month_name(chosen.month)}",
                money(row["cost_per_unit"], currency),
                delta=None
                if is_missing(row["cost_per_unit_change_pct"])
                else percent(row["cost_per_unit_change_pct"], 1),
                delta_color="inverse",
            )
        show_months(trend, scenario.unit_name)
    show_changes(changes)

ui.footer(source, currency)
