"""The dashboard in a real browser shows the figures of the exported marts.

Starts `streamlit run dashboard/app.py` on a free local port over the Parquet export
(CHARGEBACK_EXPORT_DIR, default exports/marts: run `make build` first), opens each page in
Debian's headless Chromium, waits until it has drawn, and checks that the page shows figures
computed here, independently of the dashboard's code, from the same Parquet files: money to
the cent with the currency code, as the pages write it. Saves a screenshot of each page to
docs/images/dashboard_<page>.png.

Run by `make test-dashboard` (marker dashboard); the default pytest run leaves it out. A
missing export, Playwright or Chromium fails the test, never skips it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import duckdb
import pytest

from dashboard_harness import (
    REPO,
    WINDOW,
    DashboardError,
    chart_texts,
    chromium,
    dashboard_server,
    rendered,
    save_screenshot,
    table_columns,
    table_rows,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.dashboard

EXPORTS = Path(os.environ.get("CHARGEBACK_EXPORT_DIR") or REPO / "exports" / "marts")
SCREENSHOTS = REPO / "docs" / "images"


# --- the figures, from the Parquet files ------------------------------------------------------


def mart(name: str) -> str:
    return f"read_parquet('{EXPORTS / (name + '.parquet')}')"


LEDGER = (
    f"read_parquet('{EXPORTS / 'fct_request_costs' / '*' / '*.parquet'}', hive_partitioning = true)"
)


def query(sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect() as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def one(sql: str, *parameters: Any) -> Any:
    return query(sql, *parameters)[0][0]


def money(amount: Decimal | float | int, currency: str) -> str:
    """An amount as the dashboard must write it: '-1,234.57 KZT'."""
    cents = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{abs(cents) if cents == 0 else cents:,.2f} {currency}"


def month_name(month: str) -> str:
    """'2026-10' -> 'October 2026'."""
    return date.fromisoformat(f"{month}-01").strftime("%B %Y")


def amount_of(text: str) -> Decimal:
    """'-1,234.57 USD' -> Decimal('-1234.57')."""
    return Decimal(text.split()[0].replace(",", ""))


def assert_parts_add_up(written: list[str], exact: list[Any], total: str, currency: str) -> None:
    """Amounts written to the cent: each within a cent of its exact amount, adding up to total."""
    assert all(text.endswith(f" {currency}") for text in [*written, total])
    assert len(written) == len(exact)
    for text, amount in zip(written, exact, strict=True):
        assert abs(amount_of(text) - Decimal(amount)) < Decimal("0.01"), (text, amount)
    assert sum(amount_of(text) for text in written) == amount_of(total), (written, total)


@pytest.fixture(scope="module")
def exports() -> Path:
    if not (EXPORTS / "manifest.json").is_file():
        pytest.fail(f"no mart export in {EXPORTS}: run `make build` first (it exports the marts)")
    return EXPORTS


@pytest.fixture(scope="module")
def currency(exports: Path) -> str:
    return str(one(f"select max(reporting_currency) from {mart('fct_team_chargeback')}"))


@pytest.fixture(scope="module")
def month(exports: Path) -> str:
    """The latest invoiced billing month, which the dashboard opens on."""
    return str(
        one(
            "select strftime(max(billing_period_start), '%Y-%m')"
            f" from {mart('fct_invoice_reconciliation')} where has_invoice"
        )
    )


# --- the server and the browser ---------------------------------------------------------------


@contextmanager
def failing_when_not_started() -> Iterator[None]:
    """A dashboard or a browser that cannot start fails the test with its reason, no trace."""
    try:
        yield
    except DashboardError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def dashboard(exports: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("dashboard") / "streamlit.log"
    with failing_when_not_started(), dashboard_server(exports, log) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with failing_when_not_started(), chromium() as started:
        yield started


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WINDOW)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


def url(base: str, path: str = "", **filters: str) -> str:
    return f"{base}/{path}" + (f"?{urlencode(filters)}" if filters else "")


def assert_shows(text: str, *figures: str) -> None:
    missing = [figure for figure in figures if figure not in text]
    assert not missing, f"the page does not show {missing}; it shows:\n{text}"


# --- the pages --------------------------------------------------------------------------------


def test_the_spend_page_opens_on_the_latest_invoiced_month_with_each_teams_ledger_spend(
    dashboard: str, page: Page, month: str, currency: str
) -> None:
    spend = dict(
        query(
            f"select team_id, sum(cost_reporting) from {LEDGER}"
            " where strftime(period_month, '%Y-%m') = ? group by team_id",
            month,
        )
    )
    # a team charged without ledger spend of its own (the idle capacity's owner) is listed too
    charged = query(
        f"select distinct team_id from {mart('fct_team_chargeback')}"
        " where strftime(period_month, '%Y-%m') = ?",
        month,
    )
    teams = {team: spend.get(team, Decimal(0)) for team in set(spend) | {t for (t,) in charged}}
    total = sum((Decimal(amount or 0) for amount in teams.values()), Decimal(0))
    assert len(spend) >= 5 and total > 0

    text = rendered(page, url(dashboard))

    assert_shows(text, "Spend by team", month_name(month), money(total, currency))
    shown = table_columns(page, 0)
    assert shown["Team"][-1] == "total" and shown["Ledger spend"][-1] == money(total, currency)
    assert sorted(shown["Team"][:-1]) == sorted(teams)
    exact = [teams[team] for team in shown["Team"][:-1]]
    assert_parts_add_up(shown["Ledger spend"][:-1], exact, shown["Ledger spend"][-1], currency)
    assert set(spend) <= set(chart_texts(page)), "every team with spend is in the chart's legend"
    save_screenshot(page, SCREENSHOTS / "dashboard_spend.png")


def test_the_environment_filter_narrows_the_spend_to_that_environment(
    dashboard: str, page: Page, currency: str
) -> None:
    environment, month, spend = query(
        f"select environment, strftime(period_month, '%Y-%m'), sum(cost_reporting) from {LEDGER}"
        " where environment <> 'prod' group by all order by 3 desc limit 1"
    )[0]
    everything = one(
        f"select sum(cost_reporting) from {LEDGER} where strftime(period_month, '%Y-%m') = ?",
        month,
    )
    assert Decimal(spend) < Decimal(everything)

    text = rendered(page, url(dashboard, month=month, env=environment))

    assert_shows(text, f"all teams, {environment}", money(spend, currency))
    assert money(everything, currency) not in text


def test_the_team_page_shows_the_draft_bill_confidence_score_and_unattributed_spend(
    dashboard: str, page: Page, month: str, currency: str
) -> None:
    team = one(
        f"select team_id from {mart('fct_team_bill_lines')}"
        " where strftime(period_month, '%Y-%m') = ? and team_id <> 'UNALLOCATED'"
        " group by team_id order by count(distinct line_type) desc, sum(amount) desc limit 1",
        month,
    )
    lines = query(
        "select description, line_type, amount, price_per_unit"
        f" from {mart('fct_team_bill_lines')}"
        " where strftime(period_month, '%Y-%m') = ? and team_id = ?",
        month,
        team,
    )
    amounts = {description: amount for description, _, amount, _ in lines}
    assert len(amounts) == len(lines), "each line of the bill has its own description"
    charged = one(
        f"select sum(total_charge) from {mart('fct_team_chargeback')}"
        " where strftime(period_month, '%Y-%m') = ? and team_id = ?",
        month,
        team,
    )
    score, spend, attributable, reason = query(
        "select confidence_score, spend, attributable_share, not_ready_reason"
        f" from {mart('fct_showback_confidence')}"
        " where strftime(period_month, '%Y-%m') = ? and team_id = ?",
        month,
        team,
    )[0]
    bill_total = sum((Decimal(amount) for amount in amounts.values()), Decimal(0))
    assert money(bill_total, currency) == money(charged, currency), "the bill adds up"
    assert {"scenario", "shared_costs", "invoice_true_up"} <= {kind for _, kind, _, _ in lines}
    unattributed = Decimal(spend) * (1 - Decimal(repr(attributable)))

    text = rendered(page, url(dashboard, "team", month=month, team=team))

    assert_shows(text, f"Draft bill of {team}", money(bill_total, currency))
    bill = table_columns(page, 0)
    assert bill["Line"][-1] == "total" and bill["Amount"][-1] == money(bill_total, currency)
    descriptions = bill["Description"][:-1]
    assert sorted(descriptions) == sorted(amounts)
    exact = [amounts[description] for description in descriptions]
    assert_parts_add_up(bill["Amount"][:-1], exact, bill["Amount"][-1], currency)
    prices = [money(price, currency) for _, kind, _, price in lines if kind == "scenario"]
    assert_shows(text, *prices)
    assert_shows(text, f"{score} / 100", "Unattributed spend", money(unattributed, currency))
    assert_shows(text, "did not carry every required tag")
    if reason:
        assert_shows(text, str(reason).strip(" ;"))
    save_screenshot(page, SCREENSHOTS / "dashboard_team.png")


def test_the_unallocated_team_page_says_that_no_team_owns_its_spend(
    dashboard: str, page: Page, month: str, currency: str
) -> None:
    charged = one(
        f"select sum(total_charge) from {mart('fct_team_chargeback')}"
        " where strftime(period_month, '%Y-%m') = ? and team_id = 'UNALLOCATED'",
        month,
    )

    text = rendered(page, url(dashboard, "team", month=month, team="UNALLOCATED"))

    assert_shows(text, "no team owns", money(charged, currency))


def test_the_reconciliation_page_shows_each_invoice_its_variance_parts_and_status(
    dashboard: str, page: Page, month: str
) -> None:
    parts = (
        "explained_discounts, explained_credits, explained_fees, explained_adjustments,"
        " coalesce(explained_unpriced_usage, 0), coalesce(explained_price_difference, 0),"
        " coalesce(explained_volume_difference, 0), coalesce(explained_unlogged_spend, 0),"
        " unexplained_amount"
    )
    invoices = query(
        f"select invoice_id, invoice_currency, status, invoice_amount, ledger_amount, variance,"
        f" [{parts}] from {mart('fct_invoice_reconciliation')}"
        " where has_invoice and strftime(billing_period_start, '%Y-%m') = ? order by provider",
        month,
    )
    assert len(invoices) >= 2

    text = rendered(page, url(dashboard, "reconciliation", month=month))

    for invoice_id, code, status, invoiced, ledger, variance, _ in invoices:
        assert_shows(text, invoice_id, status.replace("_", " "))
        assert_shows(text, money(invoiced, code), money(ledger, code), money(variance, code))
    # the parts table: a column per invoice whose parts add up to its variance to the cent, each
    # part within a cent of the exact part
    shown = table_columns(page, 1)
    assert shown["Part"][-1] == "= Variance" and len(shown["Part"]) == 10
    for invoice_id, code, _, _, _, variance, exact_parts in invoices:
        cells = shown[invoice_id]
        assert all(cell.endswith(f" {code}") for cell in cells)
        written = [amount_of(cell) for cell in cells[:9]]
        assert cells[9] == money(variance, code)
        assert sum(written) == amount_of(cells[9]), f"{invoice_id}: parts {cells}"
        for part, exact in zip(written, exact_parts, strict=True):
            assert abs(part - Decimal(exact)) < Decimal("0.01"), f"{invoice_id}: {cells}"
    save_screenshot(page, SCREENSHOTS / "dashboard_reconciliation.png")


def test_the_unit_cost_page_draws_the_trend_with_the_model_change_marked(
    dashboard: str, page: Page, month: str, currency: str
) -> None:
    product, scenario, changed_on, old, new = query(
        "select product_id, scenario_id, strftime(change_date, '%Y-%m-%d'), changed_from,"
        f" changed_to from {mart('fct_scenario_changes')} where change_type = 'model'"
        " order by change_date desc limit 1"
    )[0]
    months = query(
        "select strftime(period_month, '%Y-%m'), cost_per_unit"
        f" from {mart('fct_scenario_unit_cost')} where product_id = ? and scenario_id = ?",
        product,
        scenario,
    )
    assert len(months) >= 3

    text = rendered(
        page, url(dashboard, "unit-cost", month=month, scenario=f"{product}/{scenario}")
    )

    assert_shows(text, f"{product} / {scenario}", changed_on, old, new)
    assert_shows(text, *(money(cost, currency) for _, cost in months))
    assert f"model: {old} → {new}" in chart_texts(page), "the change is labelled on the chart"
    save_screenshot(page, SCREENSHOTS / "dashboard_unit_cost.png")


def test_the_budget_page_shows_each_teams_budget_actual_and_variance(
    dashboard: str, page: Page, month: str, currency: str
) -> None:
    teams = query(
        "select team_id, sum(budget), sum(total_charge), sum(budget_variance)"
        f" from {mart('fct_team_chargeback')} where strftime(period_month, '%Y-%m') = ?"
        " group by team_id",
        month,
    )
    budgeted = [row for row in teams if row[1] is not None]
    assert budgeted and any(variance < 0 for *_, variance in budgeted), "a team is over budget"

    text = rendered(page, url(dashboard, "budget", month=month))

    shown = {row[0]: row for row in table_rows(page, 0)}
    for team, budget, actual, variance in teams:
        expected_budget = "—" if budget is None else money(budget, currency)
        expected_variance = "—" if variance is None else money(variance, currency)
        assert shown[team][1:4] == [expected_budget, money(actual, currency), expected_variance]
        assert shown[team][5] == (
            "no budget" if budget is None else "over budget" if variance < 0 else "within budget"
        )
    total_budget = sum((Decimal(budget) for _, budget, _, _ in budgeted), Decimal(0))
    assert_shows(text, money(total_budget, currency))
    save_screenshot(page, SCREENSHOTS / "dashboard_budget.png")


def test_the_data_quality_page_says_no_rows_for_the_empty_marts(
    dashboard: str, page: Page, month: str
) -> None:
    duplicates = one(f"select count(*) from {mart('fct_duplicate_requests')}")
    usage = one(f"select count(*) from {mart('fct_usage_reconciliation')}")
    complete = one(
        f"select min(complete_tag_spend_share) from {mart('fct_tag_completeness')}"
        " where strftime(period_month, '%Y-%m') = ? and team_id <> 'UNALLOCATED'",
        month,
    )

    text = rendered(page, url(dashboard, "data-quality", month=month))

    if duplicates == 0:
        assert_shows(text, "No rows: no call was logged twice")
    if usage == 0:
        assert_shows(text, "No rows: no provider usage export covers")
    assert_shows(text, f"{Decimal(repr(complete)) * 100:.1f}%")
    save_screenshot(page, SCREENSHOTS / "dashboard_data_quality.png")


@pytest.fixture(scope="module")
def empty_dashboard(exports: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over an export of the same marts without a row (and no ledger month)."""
    folder = tmp_path_factory.mktemp("empty_export")
    with duckdb.connect() as connection:
        for source in exports.glob("*.parquet"):
            connection.execute(
                f"copy (select * from read_parquet('{source}') limit 0)"
                f" to '{folder / source.name}' (format parquet)"
            )
    (folder / "fct_request_costs").mkdir()
    (folder / "manifest.json").write_text('{"exported_at": "2026-01-01T00:00:00+00:00"}')
    log = tmp_path_factory.mktemp("empty_dashboard") / "streamlit.log"
    with failing_when_not_started(), dashboard_server(folder, log) as base:
        yield base


@pytest.mark.parametrize(
    "path", ["", "team", "reconciliation", "unit-cost", "budget", "data-quality"]
)
def test_every_page_says_no_rows_over_an_export_without_rows(
    empty_dashboard: str, page: Page, path: str
) -> None:
    text = rendered(page, url(empty_dashboard, path))

    assert_shows(text, "No rows:")
