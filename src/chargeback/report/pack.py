"""The pack's tables for one period, from the analyses and the marts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from chargeback.report.analyses import analysis_sql
from chargeback.report.bridge import bridge_rows
from chargeback.report.method import method_statements
from chargeback.report.settings import Settings
from chargeback.report.tables import Derived, RowParts, Table

TEAM_SUMMARY = """
    select
        chargeback.team_id,
        sum(chargeback.requests) as requests,
        sum(chargeback.ledger_cost) as ledger_cost,
        sum(chargeback.shared_cost) as shared_cost,
        sum(chargeback.invoice_true_up) as invoice_true_up,
        sum(chargeback.capacity_cost) as capacity_cost,
        sum(chargeback.idle_capacity_cost) as idle_capacity_cost,
        sum(chargeback.total_charge) as total_charge,
        sum(chargeback.budget) as budget,
        sum(chargeback.budget_variance) as budget_variance,
        max(chargeback.billing_mode) as billing_mode,
        max(confidence.confidence_score) as confidence_score,
        max(confidence.not_ready_reason) as not_ready_reason
    from marts.fct_team_chargeback as chargeback
    left join marts.fct_showback_confidence as confidence
        on chargeback.period_month = confidence.period_month
        and chargeback.team_id = confidence.team_id
    where chargeback.period_month = ?
    group by chargeback.team_id
    order by total_charge desc
"""

TEAM_CHARGEBACK = """
    select
        team_id, product_id, environment, requests, retry_requests, failed_requests,
        usage_cost, retry_cost, failed_cost, ledger_cost, cache_savings, shared_cost,
        invoice_true_up, capacity_cost, idle_capacity_cost, total_charge, budget, budget_variance,
        billing_mode
    from marts.fct_team_chargeback
    where period_month = ?
    order by team_id, product_id, environment
"""

UNIT_COST = """
    select
        product_id, scenario_id, unit_name, prior_units, units, prior_total_cost, total_cost,
        prior_cost_per_unit, cost_per_unit, volume_effect, unit_cost_effect, main_driver,
        change_reason
    from marts.fct_scenario_unit_cost
    where period_month = ?
    order by total_cost desc
"""

PRICE_SOURCES = """
    select
        provider,
        coalesce(price_source_kind, 'unpriced') as price_source_kind,
        coalesce(price_model, model_canonical) as price_model,
        model_deployment,
        capacity_pool,
        count(*) as requests,
        sum(cost_reporting) as ledger_cost
    from marts.fct_request_costs
    where period_month = ?
    group by 1, 2, 3, 4, 5
    order by ledger_cost desc nulls last, provider, price_model
"""

CAPACITY = """
    select
        capacity_pool, provider, valid_from, valid_to, capacity_weighted_tokens,
        weighted_tokens_served, served_requests, used_share, idle_owner_team_id, used_cost,
        idle_cost, invoice_id
    from marts.fct_capacity_utilisation
    where period_month = ?
    order by capacity_pool, valid_from
"""

SHARED_COST_RULES = """
    select cost_pool, weight_by_requests, weight_even, eligible_environments, eligible_lifecycles
    from reference.shared_cost_rules
    order by cost_pool
"""


# Derived columns of several tables, each recomputed after rounding from its rounded parts.
LEDGER_COST = Derived("ledger_cost", (("usage_cost", 1), ("retry_cost", 1), ("failed_cost", 1)))
TOTAL_CHARGE = Derived(
    "total_charge",
    (
        ("ledger_cost", 1),
        ("shared_cost", 1),
        ("invoice_true_up", 1),
        ("capacity_cost", 1),
        ("idle_capacity_cost", 1),
    ),
)
BUDGET_VARIANCE = Derived("budget_variance", (("budget", 1), ("total_charge", -1)))


@dataclass(frozen=True)
class PackSource:
    """Where the pack's rows come from: the warehouse, the compiled analyses and the period."""

    connection: duckdb.DuckDBPyConnection
    compiled_dir: Path
    period: date

    def query(self, sql: str) -> tuple[list[str], list[list[Any]]]:
        """The columns and rows of `sql`, whose one parameter is the period."""
        result = self.connection.execute(sql, [self.period])
        columns = [description[0] for description in result.description]
        return columns, [list(row) for row in result.fetchall()]

    def analysis(self, name: str, columns: list[str], order_by: str) -> list[list[Any]]:
        """The period's rows of the compiled analysis `name`: these columns, in this order."""
        analysis = analysis_sql(self.compiled_dir, name)
        sql = (
            f"select {', '.join(columns)} from ({analysis}) as analysis "
            f"where period_month = ? order by {order_by}"
        )
        return self.query(sql)[1]


def summary_table(source: PackSource) -> Table:
    columns, rows = source.query(TEAM_SUMMARY)
    return Table(
        name="Summary",
        file_stem="summary",
        title="Charge per team: ledger cost, shared costs, invoice true-up, capacity, budget and "
        "confidence",
        columns=columns,
        rows=rows,
        money=[
            "ledger_cost",
            "shared_cost",
            "invoice_true_up",
            "capacity_cost",
            "idle_capacity_cost",
            "budget",
        ],
        derived=[TOTAL_CHARGE, BUDGET_VARIANCE],
    )


def bridge_table(source: PackSource, settings: Settings) -> Table:
    rows = bridge_rows(
        source.connection, source.period, settings.reporting_currency, settings.reporting_timezone
    )
    return Table(
        name="Bridge",
        file_stem="invoice_to_charge_bridge",
        title=(
            "From the month's invoices to its total charge, in the reporting currency: tax, calls"
            " and capacity no invoice bills, shared pools, the time-zone cut-off, corrections,"
            " FX and rounding"
        ),
        columns=["step", "line", "amount", "explanation"],
        rows=rows,
        money=["amount"],
        totals=False,
    )


def team_chargeback_table(source: PackSource) -> Table:
    columns, rows = source.query(TEAM_CHARGEBACK)
    return Table(
        name="Team chargeback",
        file_stem="team_chargeback",
        title="Chargeback per team, product and environment (fct_team_chargeback)",
        columns=columns,
        rows=rows,
        money=[
            "usage_cost",
            "retry_cost",
            "failed_cost",
            "cache_savings",
            "shared_cost",
            "invoice_true_up",
            "capacity_cost",
            "idle_capacity_cost",
            "budget",
        ],
        derived=[LEDGER_COST, TOTAL_CHARGE, BUDGET_VARIANCE],
    )


def draft_bills_table(source: PackSource) -> Table:
    columns = [
        "team_id", "team_name", "cost_center", "budget_owner", "billing_mode", "line_type",
        "description", "units", "unit_name", "price_per_unit", "amount", "reason_for_change",
    ]  # fmt: skip
    rows = source.analysis("draft_bill_by_team", columns, "team_id, line_order, amount desc")
    return Table(
        name="Draft bills",
        file_stem="draft_bills",
        title=(
            "Draft bill per team: scenarios at their price per unit (the team's own first"
            " successful calls, less its spike lines: the Unit cost sheet's cost per unit is"
            " over every team, with retries, failures and the capacity used), then spikes,"
            " retries, failed calls, shared costs, the invoice true-up and capacity"
        ),
        columns=columns,
        rows=rows,
        money=["amount"],
        group_by=["team_id"],
        unit_prices=["price_per_unit"],
    )


def unit_cost_table(source: PackSource) -> Table:
    columns, rows = source.query(UNIT_COST)
    return Table(
        name="Unit cost",
        file_stem="unit_cost",
        title=(
            "Cost per unit of work per scenario over every team (retries, failures and the"
            " capacity its calls used included), against last month, and the reason it"
            " changed; a team's bill prices its own calls"
        ),
        columns=columns,
        rows=rows,
        money=["prior_total_cost", "total_cost", "volume_effect", "unit_cost_effect"],
        unit_prices=["prior_cost_per_unit", "cost_per_unit"],
    )


def reconciliation_table(source: PackSource) -> Table:
    parts = (
        "explained_discounts", "explained_credits", "explained_fees", "explained_adjustments",
        "explained_unpriced_usage", "explained_price_difference", "explained_volume_difference",
        "explained_unlogged_spend", "unexplained_amount",
    )  # fmt: skip
    reporting = (
        "invoice_amount_reporting", "ledger_amount_reporting", "capacity_amount_reporting",
        "variance_reporting",
    )  # fmt: skip
    columns = [
        "provider", "invoice_id", "invoice_currency", "status", "invoice_amount", "ledger_amount",
        "contract_discount_amount", "capacity_amount", "variance", "variance_pct", *parts,
        "timezone_cutoff_amount", "invoice_tax_amount", "ledger_requests", "unpriced_requests",
        "main_reason", "variance_explanation", "invoice_lines_cited", "reporting_currency",
        *reporting,
    ]  # fmt: skip
    rows = source.analysis("month_end_reconciliation", columns, "provider")
    return Table(
        name="Reconciliation",
        file_stem="reconciliation",
        title=(
            "Each invoice against the ledger over its billing period, in the invoice currency,"
            " then in the reporting currency (at the invoice's rate)"
        ),
        columns=columns,
        rows=rows,
        money=list(reporting),
        row_parts=[
            RowParts("variance", parts),
            RowParts("invoice_amount", ()),
            RowParts("capacity_amount", ()),
            RowParts("contract_discount_amount", ()),
            RowParts("timezone_cutoff_amount", ()),
            RowParts("invoice_tax_amount", ()),
        ],
        # the ledger shown is what the invoice leaves once the pools and the variance are
        # taken out (variance = invoice - ledger - capacity pools), in either currency
        derived=[
            Derived(
                "ledger_amount",
                (("invoice_amount", 1), ("capacity_amount", -1), ("variance", -1)),
            ),
            Derived(
                "ledger_amount_reporting",
                (
                    ("invoice_amount_reporting", 1),
                    ("capacity_amount_reporting", -1),
                    ("variance_reporting", -1),
                ),
            ),
        ],
        row_currency="invoice_currency",
        totals=False,
    )


INVOICE_LINES = """
    select
        provider, model, token_type, invoice_currency, invoice_lines, quantity_unit,
        invoice_quantity, ledger_quantity, quantity_difference, invoice_unit_price_per_mtok,
        ledger_unit_price_per_mtok, invoice_amount, ledger_amount, amount_difference,
        explained_unpriced_usage, explained_price_difference, explained_volume_difference,
        unexplained_amount
    from marts.fct_invoice_line_reconciliation
    where billing_period_start = ?
    order by provider, abs(amount_difference) desc, model, token_type
"""


def invoice_lines_table(source: PackSource) -> Table:
    columns, rows = source.query(INVOICE_LINES)
    parts = (
        "explained_unpriced_usage", "explained_price_difference", "explained_volume_difference",
        "unexplained_amount",
    )  # fmt: skip
    return Table(
        name="Invoice lines",
        file_stem="invoice_line_reconciliation",
        title=(
            "Each invoice line (model and token type) against the ledger over the billing"
            " period, in the invoice currency: quantities, unit prices per million units, and"
            " the difference split into unpriced usage, price, volume and what is unexplained"
        ),
        columns=columns,
        rows=rows,
        row_parts=[RowParts("amount_difference", parts), RowParts("invoice_amount", ())],
        derived=[Derived("ledger_amount", (("invoice_amount", 1), ("amount_difference", -1)))],
        row_currency="invoice_currency",
        unit_prices=["invoice_unit_price_per_mtok", "ledger_unit_price_per_mtok"],
        totals=False,
    )


def unallocated_table(source: PackSource) -> Table:
    columns = [
        "api_key_id", "requests", "unallocated_spend", "most_common_team_tag", "team_tag_share",
        "most_common_product", "product_share", "most_common_scenario", "suggested_owner",
        "suggestion_basis",
    ]  # fmt: skip
    rows = source.analysis("unallocated_spend_owners", columns, "unallocated_spend desc")
    return Table(
        name="Unallocated",
        file_stem="unallocated",
        title="Spend without an owner, by API key, and who should own it",
        columns=columns,
        rows=rows,
        money=["unallocated_spend"],
    )


def price_sources_table(source: PackSource) -> Table:
    columns, rows = source.query(PRICE_SOURCES)
    return Table(
        name="Prices",
        file_stem="price_sources",
        title=(
            "What priced the month's calls: the catalogue, your own prices (custom, free), a"
            " capacity pool (its calls cost 0 here: the pool's cost is on the bills as capacity"
            " and idle capacity) or nothing (unpriced), by provider, priced model, deployment"
            " and pool"
        ),
        columns=columns,
        rows=rows,
        money=["ledger_cost"],
    )


def capacity_table(source: PackSource) -> Table:
    columns, rows = source.query(CAPACITY)
    return Table(
        name="Capacity",
        file_stem="capacity_utilisation",
        title=(
            "The capacity pools the month paid for: what each period could serve and served (in"
            " weighted tokens), the share used, and its cost split into the used part (on its"
            " users' bills as capacity) and the idle part (on its owner's as idle capacity)"
        ),
        columns=columns,
        rows=rows,
        money=["used_cost", "idle_cost"],
    )


def spend_change_table(source: PackSource) -> Table:
    columns = [
        "team_id", "driver", "line_type", "unit_name", "prior_units", "units", "prior_amount",
        "amount", "volume_effect", "unit_cost_effect", "mix_effect", "other_effect", "change",
        "main_effect",
    ]  # fmt: skip
    rows = source.analysis("spend_change_drivers", columns, "team_id, abs(change) desc")
    return Table(
        name="Spend change",
        file_stem="spend_change",
        title="Why each team's spend changed from last month: volume, unit cost, mix, other lines",
        columns=columns,
        rows=rows,
        money=[
            "prior_amount",
            "amount",
            "volume_effect",
            "unit_cost_effect",
            "mix_effect",
            "other_effect",
        ],
        derived=[
            Derived(
                "change",
                (
                    ("volume_effect", 1),
                    ("unit_cost_effect", 1),
                    ("mix_effect", 1),
                    ("other_effect", 1),
                ),
            )
        ],
    )


def budget_table(source: PackSource) -> Table:
    columns = [
        "team_id", "billing_mode", "budget", "total_charge", "budget_variance", "budget_used_pct",
        "budget_status", "budget_year_to_date", "total_charge_year_to_date",
        "budget_variance_year_to_date",
    ]  # fmt: skip
    rows = source.analysis("budget_vs_actual", columns, "team_id")
    return Table(
        name="Budget",
        file_stem="budget_vs_actual",
        title="Budget against actual charge per team, this month and year to date",
        columns=columns,
        rows=rows,
        money=["budget", "total_charge", "budget_year_to_date", "total_charge_year_to_date"],
        derived=[
            BUDGET_VARIANCE,
            Derived(
                "budget_variance_year_to_date",
                (("budget_year_to_date", 1), ("total_charge_year_to_date", -1)),
            ),
        ],
    )


def method_table(connection: duckdb.DuckDBPyConnection, settings: Settings) -> Table:
    rules = connection.execute(SHARED_COST_RULES).fetchall()
    pools = "; ".join(
        f"{pool}: {float(by_requests):.0%} by eligible requests, {float(even):.0%} evenly "
        f"(environments {environments}; lifecycles {lifecycles})"
        for pool, by_requests, even, environments, lifecycles in rules
    )
    statements = method_statements(settings, pools)
    return Table(
        name="Method",
        file_stem="method",
        title="How the numbers are made: the rules and thresholds in force",
        columns=["topic", "rule"],
        rows=[list(statement) for statement in statements],
        totals=False,
    )


def build_tables(
    connection: duckdb.DuckDBPyConnection, compiled_dir: Path, period: date, settings: Settings
) -> list[Table]:
    """Every table of the pack, in the order of the workbook's sheets."""
    source = PackSource(connection, compiled_dir, period)
    return [
        summary_table(source),
        bridge_table(source, settings),
        team_chargeback_table(source),
        draft_bills_table(source),
        unit_cost_table(source),
        reconciliation_table(source),
        invoice_lines_table(source),
        unallocated_table(source),
        price_sources_table(source),
        capacity_table(source),
        spend_change_table(source),
        budget_table(source),
        method_table(connection, settings),
    ]
