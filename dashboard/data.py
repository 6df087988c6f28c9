"""The dashboard's figures, read from the Parquet export of the marts with DuckDB in memory.

The warehouse file is never opened: `make build` copies the marts to Parquet
(src/chargeback/exports/marts.py), and this module reads that folder, CHARGEBACK_EXPORT_DIR
(default exports/marts). Each query opens its own in-memory DuckDB connection with one view
per exported mart, so the module holds no state and is safe to call from Streamlit's threads.

Money in tables stays Decimal (exact, as exported); the pages round it to the cent. Chart
frames carry doubles. Months are `YYYY-MM` strings.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from chargeback.exports.marts import DEFAULT_DIR as DEFAULT_EXPORT_DIR
from chargeback.exports.marts import MANIFEST

EXPORT_DIR_VARIABLE = "CHARGEBACK_EXPORT_DIR"
LEDGER = "fct_request_costs"
# The ledger's columns the dashboard reads, to stand in for a ledger without any partition.
LEDGER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("period_month", "date"),
    ("team_id", "varchar"),
    ("environment", "varchar"),
    ("is_priced", "boolean"),
    ("cost_reporting", "decimal(38, 20)"),
    ("reporting_currency", "varchar"),
)
MARTS = (
    "fct_team_chargeback",
    "fct_team_bill_lines",
    "fct_showback_confidence",
    "fct_invoice_reconciliation",
    "fct_scenario_unit_cost",
    "fct_scenario_changes",
    "fct_tag_completeness",
    "fct_duplicate_requests",
    "fct_usage_reconciliation",
    "fct_quarantined_records",
)
ALL = "all"
# The parts of an invoice's variance, in the order of the mart's columns, with their labels.
VARIANCE_PARTS: tuple[tuple[str, str], ...] = (
    ("explained_discounts", "discounts"),
    ("explained_credits", "credits"),
    ("explained_fees", "fees"),
    ("explained_adjustments", "adjustments"),
    ("explained_unpriced_usage", "unpriced usage"),
    ("explained_price_difference", "price"),
    ("explained_volume_difference", "volume"),
    ("explained_unlogged_spend", "without logged calls"),
    ("unexplained_amount", "unexplained"),
)


class MissingExportError(RuntimeError):
    """The export folder, its manifest or one of the marts is not there."""


@dataclass(frozen=True)
class Exports:
    """An export folder as of one export; a new export is a new value (and a new cache key)."""

    folder: Path
    exported_at: str


@dataclass(frozen=True)
class Scenario:
    product_id: str
    scenario_id: str
    unit_name: str

    @property
    def key(self) -> str:
        return f"{self.product_id}/{self.scenario_id}"


@dataclass(frozen=True)
class Confidence:
    """A team-month of fct_showback_confidence, with its spend split by attribution."""

    team_id: str
    requests: int
    spend: Decimal
    confidence_score: int
    is_chargeback_ready: bool
    not_ready_reason: str | None
    attributable_share: float
    key_only_share: float
    conflict_share: float
    shared_key_share: float
    unpriced_share: float
    reconciliation_variance_pct: float | None

    @property
    def unattributable_spend(self) -> Decimal:
        return unattributable_spend(self.team_id, self.spend, self.attributable_share)

    @property
    def key_only_spend(self) -> Decimal:
        return self.spend * Decimal(repr(self.key_only_share))


def unattributable_spend(team: str, spend: Decimal, attributable_share: float) -> Decimal:
    """Spend whose calls lack a complete set of valid tags: spend x (1 - attributable share).

    All of UNALLOCATED's spend: no team owns it.
    """
    if team == "UNALLOCATED":
        return spend
    return spend * (1 - Decimal(repr(attributable_share)))


def export_folder() -> Path:
    """The export folder: $CHARGEBACK_EXPORT_DIR, else exports/marts."""
    return Path(os.environ.get(EXPORT_DIR_VARIABLE) or DEFAULT_EXPORT_DIR)


def load_exports(folder: Path | None = None) -> Exports:
    """The export in `folder` (default: export_folder()), by its manifest."""
    folder = folder or export_folder()
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise MissingExportError(
            f"No mart export in {folder} ({MANIFEST} is missing): run `make build`, which"
            " exports the marts to Parquet, or set CHARGEBACK_EXPORT_DIR to an export folder."
        )
    exported_at = str(json.loads(manifest.read_text()).get("exported_at", ""))
    return Exports(folder=folder.resolve(), exported_at=exported_at)


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(exports: Exports) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with a view per mart over its Parquet file."""
    connection = duckdb.connect()
    for mart in MARTS:
        path = exports.folder / f"{mart}.parquet"
        if not path.is_file():
            connection.close()
            raise MissingExportError(f"{path} is missing: run `make build` to export the marts.")
        connection.execute(f"create view {mart} as select * from read_parquet({quoted(str(path))})")
    ledger = exports.folder / LEDGER
    if any(ledger.glob("*/*.parquet")):
        pattern = quoted(str(ledger / "*" / "*.parquet"))
        source = f"select * from read_parquet({pattern}, hive_partitioning = true)"
    else:  # an export of an empty ledger has no partition folder
        values = ", ".join(f"null::{kind}" for _, kind in LEDGER_COLUMNS)
        names = ", ".join(name for name, _ in LEDGER_COLUMNS)
        source = f"select * from (values ({values})) as empty_ledger({names}) where false"
    connection.execute(f"create view {LEDGER} as {source}")
    return connection


def rows(exports: Exports, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connect(exports) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def frame(exports: Exports, sql: str, parameters: Sequence[Any] = ()) -> pd.DataFrame:
    """A query's result as a DataFrame, DECIMAL values kept as Decimal (exact)."""
    with connect(exports) as connection:
        cursor = connection.execute(sql, list(parameters))
        columns = [column[0] for column in cursor.description or []]
        records = cursor.fetchall()
    return pd.DataFrame.from_records(records, columns=columns)


def month_start(month: str) -> str:
    """'2026-10' -> '2026-10-01', the period_month of a month."""
    return f"{month}-01"


def team_clause(team: str, column: str = "team_id") -> str:
    return "true" if team == ALL else f"{column} = {quoted(team)}"


def environment_clause(environment: str) -> str:
    return "true" if environment == ALL else f"environment = {quoted(environment)}"


# --- filter choices ---------------------------------------------------------------------------


def months(exports: Exports) -> list[str]:
    """Every month with a charge, a ledger row or an invoice billing period, oldest first."""
    found = rows(
        exports,
        """
        select distinct strftime(month, '%Y-%m') from (
            select period_month as month from fct_team_chargeback
            union all select period_month from fct_request_costs
            union all select billing_period_start from fct_invoice_reconciliation
        ) where month is not null order by 1
        """,
    )
    return [str(month) for (month,) in found]


def default_month(exports: Exports) -> str | None:
    """The latest invoiced billing month (as `make report` picks), else the latest month."""
    found = rows(
        exports,
        "select strftime(max(billing_period_start), '%Y-%m') from fct_invoice_reconciliation"
        " where has_invoice",
    )
    if found and found[0][0]:
        return str(found[0][0])
    every = months(exports)
    return every[-1] if every else None


def teams(exports: Exports) -> list[str]:
    """Every team with a charge or a ledger row; UNALLOCATED last."""
    found = rows(
        exports,
        """
        select distinct team_id from (
            select team_id from fct_team_chargeback union all select team_id from fct_request_costs
        ) where team_id is not null order by team_id = 'UNALLOCATED', team_id
        """,
    )
    return [str(team) for (team,) in found]


def environments(exports: Exports) -> list[str]:
    found = rows(
        exports,
        """
        select distinct environment from (
            select environment from fct_team_chargeback
            union all select environment from fct_request_costs
        ) where environment is not null order by 1
        """,
    )
    return [str(environment) for (environment,) in found]


def reporting_currency(exports: Exports) -> str:
    """The reporting currency the marts carry (empty when no mart has a row)."""
    found = rows(
        exports,
        """
        select coalesce(
            (select max(reporting_currency) from fct_team_chargeback),
            (select max(reporting_currency) from fct_request_costs),
            (select max(reporting_currency) from fct_scenario_unit_cost),
            ''
        )
        """,
    )
    return str(found[0][0]) if found else ""


# --- spend by team and month ------------------------------------------------------------------


def spend_by_team_month(exports: Exports, team: str, environment: str) -> pd.DataFrame:
    """Ledger spend per month and team (chart frame: month, team_id, spend as double)."""
    return frame(
        exports,
        f"""
        select strftime(period_month, '%Y-%m') as month, team_id,
            sum(coalesce(cost_reporting, 0))::double as spend
        from fct_request_costs
        where {team_clause(team)} and {environment_clause(environment)}
        group by all order by month, team_id
        """,
    )


def spend_for_month(exports: Exports, month: str, team: str, environment: str) -> pd.DataFrame:
    """One month by team: requests, unpriced requests, ledger spend, share, total charge."""
    where = f"{team_clause(team)} and {environment_clause(environment)}"
    return frame(
        exports,
        f"""
        with ledger as (
            select team_id, count(*) as requests,
                count(*) filter (where not is_priced) as unpriced_requests,
                sum(coalesce(cost_reporting, 0)) as spend
            from fct_request_costs
            where period_month = ?::date and {where}
            group by team_id
        ),
        charged as (
            select team_id, sum(total_charge) as total_charge
            from fct_team_chargeback
            where period_month = ?::date and {where}
            group by team_id
        )
        select coalesce(ledger.team_id, charged.team_id) as team_id,
            coalesce(ledger.requests, 0) as requests,
            coalesce(ledger.unpriced_requests, 0) as unpriced_requests,
            coalesce(ledger.spend, 0) as spend,
            coalesce(ledger.spend, 0) / nullif(sum(ledger.spend) over (), 0) as share,
            charged.total_charge
        from ledger full join charged on ledger.team_id = charged.team_id
        order by spend desc, team_id
        """,
        [month_start(month), month_start(month)],
    )


# --- the team page ----------------------------------------------------------------------------


def bill_lines(exports: Exports, month: str, team: str) -> pd.DataFrame:
    """The team's draft bill for the month, line by line (fct_team_bill_lines)."""
    return frame(
        exports,
        """
        select line_type, description, product_id, scenario_id, cost_date, units, unit_name,
            price_per_unit, amount, reason_for_change, charge_class, billing_mode
        from fct_team_bill_lines
        where period_month = ?::date and team_id = ?
        order by line_order, amount desc, description
        """,
        [month_start(month), team],
    )


def confidence(exports: Exports, month: str, team: str) -> Confidence | None:
    """The team-month's showback confidence, or None when the mart has no row for it."""
    found = rows(
        exports,
        """
        select team_id, requests, spend, confidence_score, is_chargeback_ready,
            not_ready_reason, attributable_share, key_only_share, conflict_share,
            shared_key_share, unpriced_share, reconciliation_variance_pct
        from fct_showback_confidence
        where period_month = ?::date and team_id = ?
        """,
        [month_start(month), team],
    )
    if not found:
        return None
    row = found[0]
    return Confidence(
        team_id=str(row[0]),
        requests=int(row[1] or 0),
        spend=Decimal(row[2] or 0),
        confidence_score=int(row[3] or 0),
        is_chargeback_ready=bool(row[4]),
        not_ready_reason=str(row[5]).strip(" ;") if row[5] else None,
        attributable_share=float(row[6] or 0),
        key_only_share=float(row[7] or 0),
        conflict_share=float(row[8] or 0),
        shared_key_share=float(row[9] or 0),
        unpriced_share=float(row[10] or 0),
        reconciliation_variance_pct=None if row[11] is None else float(row[11]),
    )


def teams_overview(exports: Exports, month: str) -> pd.DataFrame:
    """Every team of the month: bill total, billing mode, confidence, spend, attributable."""
    return frame(
        exports,
        """
        with bills as (
            select team_id, sum(amount) as bill_total, max(billing_mode) as billing_mode
            from fct_team_bill_lines where period_month = ?::date group by team_id
        )
        select coalesce(bills.team_id, scores.team_id) as team_id, bills.bill_total,
            bills.billing_mode, scores.confidence_score, scores.spend, scores.attributable_share
        from bills full join (
            select * from fct_showback_confidence where period_month = ?::date
        ) as scores on bills.team_id = scores.team_id
        order by coalesce(bills.team_id, scores.team_id) = 'UNALLOCATED', team_id
        """,
        [month_start(month), month_start(month)],
    )


def unallocated_charge(exports: Exports, month: str) -> Decimal:
    """The month's total charge booked to UNALLOCATED: spend that no team owns."""
    found = rows(
        exports,
        "select sum(total_charge) from fct_team_chargeback"
        " where period_month = ?::date and team_id = 'UNALLOCATED'",
        [month_start(month)],
    )
    return Decimal(found[0][0] or 0) if found else Decimal(0)


# --- invoice reconciliation -------------------------------------------------------------------


def invoices(exports: Exports, month: str) -> pd.DataFrame:
    """Each provider's billing period starting in the month, against the ledger."""
    parts = ", ".join(column for column, _ in VARIANCE_PARTS)
    return frame(
        exports,
        f"""
        select provider, invoice_id, billing_period_start, billing_timezone, invoice_currency,
            has_invoice, status, invoice_amount, ledger_amount, variance, variance_pct, {parts},
            main_reason, variance_explanation, timezone_cutoff_amount, variance_reporting,
            reporting_currency
        from fct_invoice_reconciliation
        where strftime(billing_period_start, '%Y-%m') = ?
        order by provider
        """,
        [month],
    )


# --- unit cost --------------------------------------------------------------------------------


def scenarios(exports: Exports) -> list[Scenario]:
    """Every product and scenario with a unit cost, the largest total cost first."""
    found = rows(
        exports,
        """
        select product_id, scenario_id, max(unit_name)
        from fct_scenario_unit_cost
        group by product_id, scenario_id
        order by sum(total_cost) desc, product_id, scenario_id
        """,
    )
    return [Scenario(str(product), str(scenario), str(unit)) for product, scenario, unit in found]


def default_scenario(exports: Exports) -> str | None:
    """The scenario of the latest model or prompt change, else the costliest scenario."""
    found = rows(
        exports,
        """
        select changes.product_id || '/' || changes.scenario_id
        from fct_scenario_changes as changes
        semi join fct_scenario_unit_cost as costs
            on changes.product_id = costs.product_id and changes.scenario_id = costs.scenario_id
        order by change_date desc, change_type limit 1
        """,
    )
    if found:
        return str(found[0][0])
    every = scenarios(exports)
    return every[0].key if every else None


def unit_cost_trend(exports: Exports, product: str, scenario: str) -> pd.DataFrame:
    """The scenario's months: units, total cost, cost per unit, main model and reason."""
    return frame(
        exports,
        """
        select strftime(period_month, '%Y-%m') as month, period_month, unit_name, units,
            requests, total_cost, cost_per_unit, cost_per_unit_change_pct, main_model,
            main_driver, change_reason, reporting_currency
        from fct_scenario_unit_cost
        where product_id = ? and scenario_id = ?
        order by period_month
        """,
        [product, scenario],
    )


def scenario_changes(exports: Exports, product: str, scenario: str) -> pd.DataFrame:
    """The days the scenario's dominant model or prompt template changed."""
    return frame(
        exports,
        """
        select change_date, change_type, changed_from, changed_to
        from fct_scenario_changes
        where product_id = ? and scenario_id = ?
        order by change_date, change_type
        """,
        [product, scenario],
    )


# --- budget -----------------------------------------------------------------------------------


def budget_vs_actual(exports: Exports, month: str, team: str, environment: str) -> pd.DataFrame:
    """Per team: budget, total charge (actual) and budget variance (budget - actual)."""
    return frame(
        exports,
        f"""
        select team_id, sum(budget) as budget, sum(total_charge) as actual,
            sum(budget_variance) as budget_variance,
            100 * sum(budget_variance) / nullif(sum(budget), 0) as variance_pct,
            max(billing_mode) as billing_mode
        from fct_team_chargeback
        where period_month = ?::date and {team_clause(team)} and {environment_clause(environment)}
        group by team_id
        order by team_id = 'UNALLOCATED', team_id
        """,
        [month_start(month)],
    )


def budget_by_month(exports: Exports, team: str, environment: str) -> pd.DataFrame:
    """Budget, actual and variance per month, over the team-months that have a budget."""
    return frame(
        exports,
        f"""
        select strftime(period_month, '%Y-%m') as month, sum(budget) as budget,
            sum(total_charge) as actual, sum(budget_variance) as budget_variance,
            count(distinct team_id) as teams
        from fct_team_chargeback
        where budget is not null and {team_clause(team)} and {environment_clause(environment)}
        group by all order by month
        """,
    )


# --- data quality -----------------------------------------------------------------------------


def tag_completeness(exports: Exports, month: str, team: str, environment: str) -> pd.DataFrame:
    return frame(
        exports,
        f"""
        select team_id, environment, requests, spend, complete_tag_spend_share,
            team_tag_spend_share, product_tag_spend_share, environment_tag_spend_share,
            scenario_tag_spend_share
        from fct_tag_completeness
        where period_month = ?::date and {team_clause(team)} and {environment_clause(environment)}
        order by team_id = 'UNALLOCATED', team_id, environment
        """,
        [month_start(month)],
    )


def duplicate_requests(exports: Exports, month: str) -> pd.DataFrame:
    """Calls logged twice and counted once, of the month (UTC occurred_at)."""
    return frame(
        exports,
        """
        select occurred_at, source_system, request_id, duplicate_kind,
            duplicate_of_source_system, duplicate_of_request_id, source_file
        from fct_duplicate_requests
        where strftime(occurred_at, '%Y-%m') = ?
        order by occurred_at, request_id
        """,
        [month],
    )


def usage_reconciliation(exports: Exports, month: str) -> pd.DataFrame:
    """The providers' usage exports against the ledger, days of the month that differ."""
    return frame(
        exports,
        """
        select usage_date, provider, model_canonical, api_key_id, status,
            requests_difference, total_tokens_difference
        from fct_usage_reconciliation
        where strftime(usage_date, '%Y-%m') = ?
        order by status = 'matched', usage_date, provider, model_canonical
        """,
        [month],
    )


def quarantined_records(exports: Exports) -> pd.DataFrame:
    return frame(
        exports,
        """
        select landed_entity, quarantine_reason, count(*) as records,
            sum(occurrences) as occurrences
        from fct_quarantined_records
        group by all order by records desc, landed_entity
        """,
    )
