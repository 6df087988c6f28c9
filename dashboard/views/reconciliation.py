"""Each provider's invoice against the ledger: the variance, its parts and the status."""

from __future__ import annotations

import charts
import data
import pandas as pd
import streamlit as st
import ui
from formatting import as_decimal, money, money_parts, month_name, percent, words

source, chosen, currency = ui.page(
    "Invoice reconciliation",
    caption=(
        "Each provider's invoice (tax excluded) against the ledger's priced calls over the"
        " provider's billing period, in the provider's time zone and invoice currency. Variance ="
        " invoice - ledger. Status: matched (within 0.5%), within tolerance (under 2%),"
        " investigate, awaiting invoice, or not invoiced (a provider that bills by no invoice:"
        " the company's own GPUs and models)."
    ),
    team="an invoice is per provider and billing period, for every team",
    env="an invoice covers every environment",
)

PART_LABELS = [label for _, label in data.VARIANCE_PARTS]


def part_values(invoice: pd.Series) -> list[object]:
    return [invoice[column] for column, _ in data.VARIANCE_PARTS]


def show_invoices(invoices: pd.DataFrame) -> None:
    money_in = {
        column: [
            money(value, code)
            for value, code in zip(invoices[column], invoices["invoice_currency"], strict=True)
        ]
        for column in ("invoice_amount", "ledger_amount", "variance")
    }
    table = pd.DataFrame(
        {
            "Provider": invoices["provider"],
            "Invoice": invoices["invoice_id"].fillna("—"),
            "Billing period": [
                f"{start:%Y-%m} ({zone})"
                for start, zone in zip(
                    invoices["billing_period_start"], invoices["billing_timezone"], strict=True
                )
            ],
            "Invoice amount": money_in["invoice_amount"],
            "Ledger amount": money_in["ledger_amount"],
            "Variance": money_in["variance"],
            "Variance %": [percent(value) for value in invoices["variance_pct"]],
            f"Variance ({currency})": [
                money(value, currency) for value in invoices["variance_reporting"]
            ],
            "Status": [words(status) for status in invoices["status"]],
            "Main reason": [words(reason) for reason in invoices["main_reason"]],
        }
    )
    ui.show_table(table, empty="no invoice")
    st.caption(
        f"Variance ({currency}) is what the invoice true-up spreads over the period's teams."
        " Amounts are in each invoice's currency."
    )


def show_parts(invoices: pd.DataFrame) -> None:
    st.subheader("Parts of the variance")
    st.caption(
        "Each part is explained by the invoice's own lines (discounts, credits, fees,"
        " adjustments) or by its model lines against the ledger (unpriced usage, unit price,"
        " token volume); the rest is unexplained. Rounded to the cent so that each invoice's"
        " parts add up to its variance."
    )
    invoiced = invoices[invoices["has_invoice"].fillna(False).astype(bool)]
    if invoiced.empty:
        ui.no_rows("no invoice has arrived for these billing periods")
        return
    columns: dict[str, list[str]] = {"Part": [*(label.capitalize() for label in PART_LABELS)]}
    columns["Part"].append("= Variance")
    for _, invoice in invoiced.iterrows():
        code = str(invoice["invoice_currency"])
        columns[str(invoice["invoice_id"])] = [
            *money_parts(part_values(invoice), code),
            money(invoice["variance"], code),
        ]
    ui.show_table(pd.DataFrame(columns), empty="no invoice")


def show_waterfall(invoices: pd.DataFrame) -> None:
    invoiced = invoices[invoices["has_invoice"].fillna(False).astype(bool)].set_index("invoice_id")
    if invoiced.empty:
        return
    keys = [str(key) for key in invoiced.index]
    to_investigate = [key for key in keys if invoiced.loc[key, "status"] == "investigate"]
    picked = st.selectbox(
        "Invoice for the waterfall",
        keys,
        index=keys.index(to_investigate[0]) if to_investigate else 0,
        key="invoice",
        bind="query-params",
    )
    if picked is None:
        return
    invoice = invoiced.loc[picked]
    amounts = [float(as_decimal(value) or 0) for value in part_values(invoice)]
    shown = [(label, amount) for label, amount in zip(PART_LABELS, amounts, strict=True)]
    shown = [(label, amount) for label, amount in shown if abs(amount) >= 0.005]
    chart = charts.variance_waterfall(
        [label for label, _ in shown],
        [amount for _, amount in shown],
        float(as_decimal(invoice["variance"]) or 0),
        str(invoice["invoice_currency"]),
    )
    st.altair_chart(chart, width="stretch")
    st.caption("Parts under half a cent are left out of the waterfall.")
    st.markdown(f"**{picked}:** {invoice['variance_explanation']}")


month = ui.need_month(chosen)
if month is not None:
    st.subheader(f"Billing periods starting in {month_name(month)}")
    found = ui.cached(data.invoices, source, month)
    if found.empty:
        ui.no_rows(f"no billing period starts in {month_name(month)}")
    else:
        show_invoices(found)
        show_parts(found)
        show_waterfall(found)

ui.footer(source, currency)
