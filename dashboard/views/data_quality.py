"""What the figures rest on: tag completeness, duplicates, usage exports, quarantined records."""

from __future__ import annotations

import data
import pandas as pd
import streamlit as st
import ui
from formatting import day, money, month_name, number, share, words

source, chosen, currency = ui.page(
    "Data quality",
    caption=(
        "The team and environment filters apply to tag completeness only: duplicates, usage exports"
        " and quarantined records are per call, key or file. The month filter does not apply to"
        " quarantined records, which cover every month."
    ),
)

month = ui.need_month(chosen)
if month is not None:
    st.subheader(f"Tag completeness, {month_name(month)}")
    tags = ui.cached(data.tag_completeness, source, month, chosen.team, chosen.environment)
    ui.show_table(
        ui.formatted(
            tags,
            {
                "team_id": ("Team", str),
                "environment": ("Environment", str),
                "requests": ("Requests", number),
                "spend": ("Spend", lambda value: money(value, currency)),
                "complete_tag_spend_share": ("All tags valid", share),
                "team_tag_spend_share": ("Team tag", share),
                "product_tag_spend_share": ("Product tag", share),
                "environment_tag_spend_share": ("Environment tag", share),
                "scenario_tag_spend_share": ("Scenario tag", share),
            },
        ),
        empty=f"no tag completeness figures for {month_name(month)} and these filters",
    )
    st.caption("Shares of the spend whose calls carry the tag with a valid value.")

    st.subheader(f"Duplicate requests, {month_name(month)}")
    duplicates = ui.cached(data.duplicate_requests, source, month)
    ui.show_table(
        pd.DataFrame(
            {
                "When (UTC)": [str(value)[:19] for value in duplicates["occurred_at"]],
                "Source": duplicates["source_system"],
                "Request": duplicates["request_id"],
                "Kind": duplicates["duplicate_kind"],
                "Kept": duplicates["duplicate_of_request_id"],
            }
        ),
        empty=f"no call was logged twice in {month_name(month)} (fct_duplicate_requests)",
    )

    st.subheader(f"Provider usage exports against the ledger, {month_name(month)}")
    usage = ui.cached(data.usage_reconciliation, source, month)
    ui.show_table(
        pd.DataFrame(
            {
                "Day": [day(value) for value in usage["usage_date"]],
                "Provider": usage["provider"],
                "Model": usage["model_canonical"],
                "Key": usage["api_key_id"],
                "Status": [words(value) for value in usage["status"]],
                "Requests difference": [number(value) for value in usage["requests_difference"]],
                "Tokens difference": [number(value) for value in usage["total_tokens_difference"]],
            }
        ),
        empty=f"no provider usage export covers {month_name(month)} (fct_usage_reconciliation)",
    )

st.subheader("Quarantined records, every month")
quarantined = ui.cached(data.quarantined_records, source)
ui.show_table(
    ui.formatted(
        quarantined,
        {
            "landed_entity": ("Landed entity", str),
            "quarantine_reason": ("Reason", str),
            "records": ("Records", number),
            "occurrences": ("Occurrences", number),
        },
    ),
    empty="nothing landed was quarantined (fct_quarantined_records)",
)

ui.footer(source, currency)
