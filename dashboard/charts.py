"""The dashboard's charts (Altair), plain: one colour per team or series, labelled axes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import altair as alt
import pandas as pd

HEIGHT = 320
SCHEME: Final = "tableau10"
CHANGE_COLOUR = "#c0392b"
BUDGET_COLOURS = {"within budget": "#4c78a8", "over budget": "#e45756", "no budget": "#bab0ac"}
WATERFALL_COLOURS = {"increase": "#e45756", "decrease": "#54a24b", "variance": "#4c78a8"}


def colour_by(field: str, colours: Mapping[str, str]) -> alt.Color:
    """The colour of each value of a nominal field, listed in the legend in this order."""
    return alt.Color(
        f"{field}:N",
        title=None,
        scale=alt.Scale(domain=list(colours), range=list(colours.values())),
    )


def spend_by_month(spend: pd.DataFrame, currency: str) -> alt.Chart:
    """Stacked bars: each month's ledger spend by team."""
    bars: alt.Chart = (
        alt.Chart(spend, height=HEIGHT)
        .mark_bar(size=48)
        .encode(
            x=alt.X("month:O", title="Month", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "sum(spend):Q", title=f"Ledger spend ({currency})", axis=alt.Axis(format=",.0f")
            ),
            color=alt.Color("team_id:N", title="Team", scale=alt.Scale(scheme=SCHEME)),
            order=alt.Order("team_id:N"),
            tooltip=[
                alt.Tooltip("month:O", title="Month"),
                alt.Tooltip("team_id:N", title="Team"),
                alt.Tooltip("spend:Q", title=f"Spend ({currency})", format=",.2f"),
            ],
        )
    )
    return bars


def unit_cost_trend(
    trend: pd.DataFrame,
    changes: pd.DataFrame,
    currency: str,
    unit_name: str,
    highlighted_month: str | None,
) -> alt.LayerChart:
    """Cost per unit by month, with a dashed rule and a label on each model or prompt change."""
    points = trend.assign(
        month_start=pd.to_datetime(trend["period_month"]),
        cost_per_unit=trend["cost_per_unit"].astype(float),
        chosen=trend["month"] == (highlighted_month or ""),
    )
    x_axis = alt.X("month_start:T", title="Month", axis=alt.Axis(format="%b %Y", tickCount="month"))
    line = (
        alt.Chart(points)
        .mark_line(point=alt.OverlayMarkDef(size=60))
        .encode(
            x=x_axis,
            y=alt.Y("cost_per_unit:Q", title=f"Cost per {unit_name} ({currency})"),
            tooltip=[
                alt.Tooltip("month:N", title="Month"),
                alt.Tooltip("cost_per_unit:Q", title=f"Cost per {unit_name}", format=",.2f"),
                alt.Tooltip("main_model:N", title="Main model"),
            ],
        )
    )
    chosen = (
        alt.Chart(points[points["chosen"]])
        .mark_point(size=220, shape="circle", filled=False, strokeWidth=2, color="black")
        .encode(x="month_start:T", y="cost_per_unit:Q")
    )
    layers: list[alt.Chart] = [line, chosen]
    if not changes.empty:
        layers += change_marks(changes, points["month_start"])
    return alt.LayerChart(layer=layers, height=HEIGHT)


def change_marks(changes: pd.DataFrame, months: pd.Series) -> list[alt.Chart]:
    """A dashed rule on each change day, labelled; labels in the later half read leftwards."""
    days = pd.to_datetime(changes["change_date"])
    middle = months.min() + (months.max() - months.min()) / 2 if len(months) else days.min()
    marks = changes.assign(
        change_day=days,
        label=[
            f"{kind.replace('_', ' ')}: {old} → {new}"
            for kind, old, new in zip(
                changes["change_type"], changes["changed_from"], changes["changed_to"], strict=True
            )
        ],
        reads_left=days > middle,
        offset=[4 + 14 * position for position in range(len(changes))],
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[5, 4], color=CHANGE_COLOUR)
        .encode(
            x=alt.X("change_day:T"),
            tooltip=[
                alt.Tooltip("change_day:T", title="Changed on", format="%Y-%m-%d"),
                alt.Tooltip("label:N", title="Change"),
            ],
        )
    )
    labels = [
        alt.Chart(marks[marks["reads_left"] == leftwards])
        .mark_text(
            align="right" if leftwards else "left",
            dx=-4 if leftwards else 4,
            baseline="top",
            color=CHANGE_COLOUR,
        )
        .encode(x="change_day:T", y=alt.Y("offset:Q", scale=None), text="label:N")
        for leftwards in (False, True)
    ]
    return [rules, *labels]


def budget_status(actual: object, budget: object) -> str:
    if pd.isna(budget):
        return "no budget"
    return "over budget" if float(actual) > float(budget) else "within budget"  # type: ignore[arg-type]


def budget_against_actual(budget: pd.DataFrame, currency: str) -> alt.LayerChart:
    """A bar of actual charge per team (red over budget, grey without one), a tick at its budget."""
    frame = budget.assign(
        actual=pd.to_numeric(budget["actual"]).astype(float),
        budget=pd.to_numeric(budget["budget"], errors="coerce").astype(float),
    )
    frame["status"] = [
        budget_status(actual, plan)
        for actual, plan in zip(frame["actual"], frame["budget"], strict=True)
    ]
    base = alt.Chart(frame).encode(y=alt.Y("team_id:N", title="Team", sort=None))
    bars = base.mark_bar(height=18).encode(
        x=alt.X(
            "actual:Q",
            title=f"Total charge and budget ({currency})",
            axis=alt.Axis(format=",.0f"),
        ),
        color=colour_by("status", BUDGET_COLOURS),
        tooltip=[
            alt.Tooltip("team_id:N", title="Team"),
            alt.Tooltip("actual:Q", title="Total charge", format=",.2f"),
            alt.Tooltip("budget:Q", title="Budget", format=",.2f"),
        ],
    )
    ticks = base.mark_tick(color="black", thickness=3, size=26).encode(x="budget:Q")
    return alt.LayerChart(layer=[bars, ticks], height=max(120, 40 * len(frame)))


def variance_waterfall(
    labels: Sequence[str], amounts: Sequence[float], variance: float, currency: str
) -> alt.Chart:
    """The parts of an invoice's variance as a waterfall from 0, then the variance itself."""
    rows = []
    running = 0.0
    for label, amount in zip(labels, amounts, strict=True):
        rows.append({"part": label, "start": running, "end": running + amount, "amount": amount})
        running += amount
    rows.append({"part": "variance", "start": 0.0, "end": variance, "amount": variance})
    frame = pd.DataFrame(rows)
    frame["kind"] = [
        "variance" if part == "variance" else ("increase" if amount >= 0 else "decrease")
        for part, amount in zip(frame["part"], frame["amount"], strict=True)
    ]
    waterfall: alt.Chart = (
        alt.Chart(frame, height=HEIGHT)
        .mark_bar(size=28)
        .encode(
            x=alt.X("part:N", title=None, sort=list(frame["part"]), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("start:Q", title=f"Amount ({currency})"),
            y2="end:Q",
            color=colour_by("kind", WATERFALL_COLOURS),
            tooltip=[
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("amount:Q", title=f"Amount ({currency})", format=",.2f"),
            ],
        )
    )
    return waterfall
