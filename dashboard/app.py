"""The AI cost chargeback dashboard: `make dashboard` (streamlit run dashboard/app.py).

Reads the Parquet export of the marts (CHARGEBACK_EXPORT_DIR, default exports/marts), never
the warehouse file. The month, team and environment filters live in the sidebar and in the
URL (?month=2026-10&team=support&env=prod), so a page can be linked with its filters.
"""

from __future__ import annotations

import data
import streamlit as st
import ui

st.set_page_config(page_title="AI cost chargeback", layout="wide")

PAGES = [
    st.Page("views/spend.py", title="Spend by team", default=True),
    st.Page("views/team.py", title="Team bill", url_path="team"),
    st.Page("views/reconciliation.py", title="Invoice reconciliation", url_path="reconciliation"),
    st.Page("views/unit_cost.py", title="Unit cost", url_path="unit-cost"),
    st.Page("views/budget.py", title="Budget vs actual", url_path="budget"),
    st.Page("views/data_quality.py", title="Data quality", url_path="data-quality"),
]

navigation = st.navigation(PAGES)
try:
    ui.sidebar_filters(ui.exports())
    navigation.run()
except data.MissingExportError as missing:
    st.title("AI cost chargeback")
    st.error(str(missing))
