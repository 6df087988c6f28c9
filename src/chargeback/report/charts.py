"""The pack's charts, drawn with matplotlib and written as PNG files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import matplotlib
import matplotlib.dates
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt

TOP_SCENARIOS = 6
OTHER = "other scenarios"

SPEND_BY_TEAM = """
    select
        period_month,
        team_id,
        case
            when line_type = 'scenario' then description
            when line_type in ('retries', 'failed', 'spike') then 'retries, failures, spikes'
            when line_type = 'shared_costs' then 'shared platform costs'
            when line_type = 'unlogged_spend' then 'spend without logged calls'
            when line_type in ('capacity', 'idle_capacity') then 'capacity pools'
            else 'invoice true-up'
        end as segment,
        sum(amount) as amount
    from marts.fct_team_bill_lines
    where period_month <= ?
    group by all
    order by period_month, team_id
"""

WATERFALL = """
    select
        provider, invoice_currency, ledger_amount, explained_discounts, explained_credits,
        explained_fees, explained_adjustments, explained_unpriced_usage,
        explained_price_difference, explained_volume_difference, explained_unlogged_spend,
        unexplained_amount,
        invoice_amount, status
    from marts.fct_invoice_reconciliation
    where billing_period_start = ? and has_invoice
    order by provider
"""

UNIT_COST = """
    with main_scenarios as (
        select product_id, scenario_id
        from marts.fct_scenario_unit_cost
        where period_month = ? and scenario_id <> 'unknown'
        order by total_cost desc
        limit 4
    )
    select
        unit_cost.product_id, unit_cost.scenario_id, unit_cost.unit_name,
        unit_cost.period_month, unit_cost.cost_per_unit
    from marts.fct_scenario_unit_cost as unit_cost
    inner join main_scenarios
        on unit_cost.product_id = main_scenarios.product_id
        and unit_cost.scenario_id = main_scenarios.scenario_id
    where unit_cost.period_month <= ?
    order by unit_cost.product_id, unit_cost.scenario_id, unit_cost.period_month
"""

CHANGES = """
    select product_id, scenario_id, change_date, change_type, changed_to
    from marts.fct_scenario_changes
"""


def spend_by_team_chart(
    connection: duckdb.DuckDBPyConnection, period: date, currency: str, path: Path
) -> Path:
    """Small multiples: one panel per team, a bar per month stacked by scenario."""
    rows = connection.execute(SPEND_BY_TEAM, [period]).fetchall()
    totals: dict[str, Decimal] = {}
    for _, _, segment, amount in rows:
        totals[segment] = totals.get(segment, Decimal(0)) + Decimal(amount or 0)
    fixed = {"retries, failures, spikes", "shared platform costs", "invoice true-up"}
    scenarios = [s for s in sorted(totals, key=lambda s: -totals[s]) if s not in fixed][
        :TOP_SCENARIOS
    ]
    segments = [*scenarios, OTHER, *sorted(fixed)]
    months = sorted({row[0] for row in rows})
    teams = sorted({row[1] for row in rows}, key=lambda t: (t == "UNALLOCATED", t))
    values: dict[tuple[str, date, str], float] = {}
    for month, team, segment, amount in rows:
        key_segment = segment if segment in segments else OTHER
        key = (team, month, key_segment)
        values[key] = values.get(key, 0.0) + float(amount or 0)
    columns = 3
    panel_rows = (len(teams) + columns - 1) // columns
    figure, axes = plt.subplots(panel_rows, columns, figsize=(13, 3.4 * panel_rows), squeeze=False)
    colours = plt.get_cmap("tab20").colors
    labels = [f"{m:%b %Y}" for m in months]
    for panel, team in zip(axes.flat, teams, strict=False):
        positive = [0.0] * len(months)
        negative = [0.0] * len(months)
        for number, segment in enumerate(segments):
            heights = [values.get((team, m, segment), 0.0) for m in months]
            bottoms = [positive[i] if h >= 0 else negative[i] for i, h in enumerate(heights)]
            panel.bar(
                labels, heights, bottom=bottoms, color=colours[number % len(colours)], label=segment
            )
            for i, height in enumerate(heights):
                if height >= 0:
                    positive[i] += height
                else:
                    negative[i] += height
        panel.set_title(team, parse_math=False)
        panel.tick_params(axis="x", labelsize=8)
        panel.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    for panel in list(axes.flat)[len(teams) :]:
        panel.axis("off")
    handles, legend_labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(handles, legend_labels, loc="lower center", ncol=4, fontsize=8, frameon=False)
    figure.suptitle(f"Total charge by team and month, stacked by scenario ({currency})")
    figure.tight_layout(rect=(0, 0.08, 1, 0.96))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def reconciliation_waterfall_chart(
    connection: duckdb.DuckDBPyConnection, period: date, path: Path
) -> Path:
    """One waterfall per provider: the ledger, each part of the variance, the invoice."""
    rows = connection.execute(WATERFALL, [period]).fetchall()
    step_names = [
        "discounts", "credits", "fees", "adjustments", "unpriced usage", "price", "volume",
        "without logged calls", "unexplained",
    ]  # fmt: skip
    figure, axes = plt.subplots(
        1, max(len(rows), 1), figsize=(5.2 * max(len(rows), 1), 4.4), squeeze=False
    )
    for panel, row in zip(axes.flat, rows, strict=False):
        provider, currency, ledger, *parts, invoice, status = row
        steps = [float(p or 0) for p in parts]
        labels = ["ledger", *step_names, "invoice"]
        level = float(ledger)
        bottoms, heights, colours = [0.0], [level], ["#4c72b0"]
        for step in steps:
            bottoms.append(level if step >= 0 else level + step)
            heights.append(abs(step))
            colours.append("#55a868" if step >= 0 else "#c44e52")
            level += step
        bottoms.append(0.0)
        heights.append(float(invoice))
        colours.append("#4c72b0")
        panel.bar(labels, heights, bottom=bottoms, color=colours)
        for position, step in enumerate(steps, start=1):
            if round(step, 2) != 0:
                panel.annotate(
                    f"{step:+,.2f}", (position, bottoms[position] + heights[position]),
                    ha="center", va="bottom",
                    fontsize=7,
                )  # fmt: skip
        low = (
            min(b for b, h in zip(bottoms[1:-1], heights[1:-1], strict=True) if h >= 0)
            if steps
            else 0
        )
        top = max(float(ledger), float(invoice), level)
        panel.set_ylim(max(0.0, min(low, float(ledger), float(invoice)) * 0.9), top * 1.05)
        panel.set_title(f"{provider}: {status} ({currency})", parse_math=False)
        panel.tick_params(axis="x", rotation=60, labelsize=8)
    figure.suptitle(f"Invoice against ledger, {period:%Y-%m}: the parts of the variance")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def unit_cost_chart(
    connection: duckdb.DuckDBPyConnection, period: date, currency: str, path: Path
) -> Path:
    """Cost per unit of the month's main scenarios over the months, model and prompt changes marked.

    Each month's cost per unit is drawn at the middle of the month (it is the month's average);
    a dashed line marks the day a scenario's main model or prompt template changed.
    """
    rows = connection.execute(UNIT_COST, [period, period]).fetchall()
    changes = connection.execute(CHANGES).fetchall()
    scenarios = list(dict.fromkeys((row[0], row[1], row[2]) for row in rows))
    period_end = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    columns = 2
    panel_rows = max((len(scenarios) + columns - 1) // columns, 1)
    figure, axes = plt.subplots(panel_rows, columns, figsize=(11, 3.3 * panel_rows), squeeze=False)
    for panel, (product, scenario, unit) in zip(axes.flat, scenarios, strict=False):
        points = [
            (row[3].replace(day=15), float(row[4]))
            for row in rows
            if (row[0], row[1]) == (product, scenario) and row[4]
        ]
        panel.plot([p[0] for p in points], [p[1] for p in points], marker="o")
        top = max((p[1] for p in points), default=1.0) * 1.25
        panel.set_ylim(0, top)
        first = min((p[0].replace(day=1) for p in points), default=period)
        panel.set_xlim(first, period_end)
        for change_product, change_scenario, change_date, change_type, changed_to in changes:
            if (change_product, change_scenario) != (
                product,
                scenario,
            ) or not first <= change_date < period_end:
                continue
            panel.axvline(change_date, linestyle="--", color="grey")
            # landed text (a model or prompt template id): drawn as is, never as mathtext
            panel.text(
                change_date, top * 0.04, f" {change_type.replace('_', ' ')}: {changed_to}",
                fontsize=7, rotation=90,
                va="bottom", ha="right", parse_math=False,
            )  # fmt: skip
        panel.set_title(f"{scenario} ({currency} per {unit})", fontsize=9, parse_math=False)
        panel.xaxis.set_major_locator(matplotlib.dates.MonthLocator())
        panel.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%b %Y"))
        panel.tick_params(axis="x", labelsize=8)
    for panel in list(axes.flat)[len(scenarios) :]:
        panel.axis("off")
    figure.suptitle("Cost per unit of work of the month's main scenarios")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
