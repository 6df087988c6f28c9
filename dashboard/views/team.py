"""A team's month: its draft bill, how far its figures can be trusted, its unattributed spend."""

from __future__ import annotations

import data
import streamlit as st
import ui
from formatting import (
    MISSING,
    day,
    is_missing,
    money,
    money_parts,
    month_name,
    number,
    percent,
    share,
    words,
)

source, chosen, currency = ui.page(
    "Team bill",
    env="draft bills and confidence scores are per team and month, over every environment",
)


def units_text(units: object, unit_name: object) -> str:
    return (
        "" if is_missing(units) else f"{number(units)} {'' if is_missing(unit_name) else unit_name}"
    )


def price_text(price: object, unit_name: object) -> str:
    if is_missing(price):
        return ""
    return f"{money(price, currency)} per {'' if is_missing(unit_name) else unit_name}"


def show_overview(month: str) -> None:
    st.subheader(f"Every team, {month_name(month)}")
    st.caption("Choose a team in the sidebar for its draft bill.")
    overview = ui.cached(data.teams_overview, source, month)
    shown = overview.assign(
        unattributable=[
            None if is_missing(spend) else data.unattributable_spend(team, spend, attributable or 0)
            for team, spend, attributable in zip(
                overview.get("team_id", []),
                overview.get("spend", []),
                overview.get("attributable_share", []),
                strict=True,
            )
        ]
    )
    ui.show_table(
        ui.formatted(
            shown,
            {
                "team_id": ("Team", str),
                "bill_total": ("Draft bill", lambda value: money(value, currency)),
                "billing_mode": ("Billing mode", words),
                "confidence_score": ("Confidence score", lambda value: f"{number(value)} / 100"),
                "unattributable": ("Unattributed spend", lambda value: money(value, currency)),
            },
        ),
        empty=f"no draft bill or confidence score in {month_name(month)}",
    )


def show_bill(month: str, team: str) -> None:
    lines = ui.cached(data.bill_lines, source, month, team)
    st.subheader(f"Draft bill of {team}, {month_name(month)}")
    if lines.empty:
        ui.no_rows(f"{team} has no bill line in {month_name(month)}")
        return
    total = sum(lines["amount"])
    mode = words(lines["billing_mode"].iloc[0])
    left, right = st.columns(2)
    left.metric("Bill total", money(total, currency))
    right.metric("Billing mode", mode)
    shown = lines.assign(
        line=[words(kind) for kind in lines["line_type"]],
        volume=[
            units_text(units, name)
            for units, name in zip(lines["units"], lines["unit_name"], strict=True)
        ],
        price=[
            price_text(price, name)
            for price, name in zip(lines["price_per_unit"], lines["unit_name"], strict=True)
        ],
    )
    bill = ui.formatted(
        shown,
        {
            "line": ("Line", str),
            "description": ("Description", str),
            "cost_date": ("Day", lambda value: "" if is_missing(value) else day(value)),
            "volume": ("Units", str),
            "price": ("Price per unit", str),
            "amount": ("Amount", str),
            "reason_for_change": (
                "Reason for the change",
                lambda value: "" if is_missing(value) else str(value),
            ),
        },
    )
    bill["Amount"] = money_parts(list(lines["amount"]), currency)
    totals = {"Line": "total", "Amount": money(total, currency)}
    ui.show_table(ui.with_total(bill, totals), empty="no bill line")
    st.caption(
        "Scenario lines carry the normal cost of each scenario; spikes, retries, failed calls,"
        " shared platform costs and the invoice true-up are lines of their own. The lines add up"
        " to the team's total charge; each is rounded to the cent so that they still add up to"
        " the total."
    )


def show_confidence(month: str, team: str) -> None:
    st.subheader("Showback confidence")
    score = ui.cached(data.confidence, source, month, team)
    if score is None:
        ui.no_rows(f"no confidence score for {team} in {month_name(month)}")
        return
    left, middle, right = st.columns(3)
    left.metric("Confidence score", f"{score.confidence_score} / 100")
    middle.metric("Chargeback-ready", "yes" if score.is_chargeback_ready else "no")
    variance = (
        MISSING
        if score.reconciliation_variance_pct is None
        else percent(score.reconciliation_variance_pct)
    )
    right.metric("Invoice variance", variance)
    if score.not_ready_reason:
        st.markdown(f"**Not ready because:** {score.not_ready_reason}.")
    st.caption(
        "The score (0-100) weighs the share of spend with complete, valid tags (50%), no"
        " team-tag conflicts (15%), no shared keys (10%), priced requests (10%) and the invoice"
        " variance (15%)."
    )

    st.subheader("Unattributed spend")
    unallocated = ui.cached(data.unallocated_charge, source, month)
    if team == "UNALLOCATED":
        st.metric("Unallocated ledger spend", money(score.unattributable_spend, currency))
        st.markdown(
            "This is the spend **no team owns**: calls without a valid team tag, sent with a key"
            " that has no owner (or a shared key). It is charged to nobody until an owner is"
            f" found; its total charge this month, with its share of shared costs and the"
            f" invoice true-up, is **{money(unallocated, currency)}**."
        )
        return
    left, middle, right = st.columns(3)
    left.metric("Unattributed spend", money(score.unattributable_spend, currency))
    middle.metric("Attributable share", share(score.attributable_share))
    right.metric("Owned through the key only", money(score.key_only_spend, currency))
    st.markdown(
        f"Of {team}'s ledger spend of **{money(score.spend, currency)}**,"
        f" **{money(score.unattributable_spend, currency)}**"
        f" ({share(1 - score.attributable_share)}) came from calls that did not carry every"
        " required tag (team, product, environment, scenario) with a valid value. The team is"
        " still charged for it, because the API key (or a partial tag) names it as the owner, but"
        " the split by product and scenario is less certain. Shared-key spend:"
        f" {share(score.shared_key_share)}; spend whose team tag and key owner disagree:"
        f" {share(score.conflict_share)}; unpriced requests: {share(score.unpriced_share)}."
    )
    st.caption(
        "Spend that no team owns at all is booked to UNALLOCATED, not to this team:"
        f" {money(unallocated, currency)} of total charge in {month_name(month)}."
    )


month = ui.need_month(chosen)
if month is not None:
    if chosen.team == data.ALL:
        show_overview(month)
    else:
        show_bill(month, chosen.team)
        show_confidence(month, chosen.team)

ui.footer(source, currency)
