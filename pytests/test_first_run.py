"""A newcomer's first build on their own data says what is missing and what to do.

The default seeds are the demo company's: FX rates for the second half of 2026. One small
build lands a few calls, an invoice and a platform cost in March 2025 and reports in EUR:
there is no USD -> EUR rate for that month and one model is unknown to the price table. The
build fails, and each failure is a message that names what is missing and the fix, not a
bare count of failing rows. (The calls' teams are unknown to the seeds too; tag completeness
weighs spend, which has no EUR amount yet, so its message comes once the rates are there:
test_acceptance_chargeback holds it.)
"""

from __future__ import annotations

from typing import Any

import pytest

from harness import (
    INVOICE_HEADER,
    DbtRun,
    Warehouse,
    project_copy,
    unsaid,
    write_csv,
    write_jsonl,
)

REPORTING = {"chargeback__reporting_currency": "EUR"}


def call(number: int, **fields: Any) -> dict[str, Any]:
    record = {
        "request_id": f"first-run-{number}",
        "occurred_at": f"2025-03-{3 + number:02d}T09:30:00Z",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "api_key_id": "key_payments",
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": 12_000,
        "output_tokens": 800,
        "team": "payments",
        "product": "checkout_assistant",
        "environment": "prod",
        "scenario": "refund_reply",
    }
    record.update(fields)
    return record


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, DbtRun]:
    warehouse = project_copy(tmp_path_factory.mktemp("first_run"))
    calls = [call(number) for number in range(6)]
    calls += [call(10 + number, model="in-house-llm-v2") for number in range(2)]
    write_jsonl(warehouse.landing / "gateway_requests" / "2025-03.jsonl", calls)
    write_csv(
        warehouse.landing / "invoices" / "openai_2025-03.csv",
        INVOICE_HEADER,
        [["INV-2025-03", "openai", "2025-03-01", "2025-04-01", "1", "usage", "gpt-4o-mini",
          "input", "72000", "tokens", "0.01", "USD", "usage"]],
    )  # fmt: skip
    write_csv(
        warehouse.landing / "platform_costs" / "2025-03.csv",
        ["period_month", "cost_pool", "amount", "currency", "description"],
        [["2025-03-01", "gateway_hosting", "40.00", "USD", "gateway"]],
    )
    run = warehouse.dbt("build", "--exclude", "resource_type:unit_test", variables=REPORTING)
    return warehouse, run


def test_the_build_fails(first_run: tuple[Warehouse, DbtRun]) -> None:
    assert not first_run[1].succeeded


def test_a_missing_fx_rate_names_the_pair_the_date_and_the_fix(
    first_run: tuple[Warehouse, DbtRun],
) -> None:
    missing = unsaid(
        first_run[1].output,
        "Compilation Error in test fx_rates_available_for_the_ledger",
        "fct_request_costs needs a rate for 1 currency pair(s)",
        # the pair and date, and what the seed covers for that pair (EUR -> USD, used inversely)
        "USD -> EUR on 2025-03-01 (6 rows of fct_request_costs)",
        "rates USD -> EUR from 2026-07-01 to 2026-12-31",
        # the two fixes, with the seed's columns and an example row, and the rebuild
        "add the rates to seeds/fx_rates.csv",
        "2025-03-01,USD,EUR,<rate>",
        "set chargeback__reporting_currency",
        "The reporting currency is EUR",
        "dbt build --full-refresh",
    )
    assert missing == []


def test_the_invoice_and_the_platform_cost_name_their_missing_rates_too(
    first_run: tuple[Warehouse, DbtRun],
) -> None:
    missing = unsaid(
        first_run[1].output,
        "Compilation Error in test fx_rates_available_for_the_invoices",
        "USD -> EUR on 2025-03-01 (1 rows of int_invoices_summarised)",
        "Compilation Error in test fx_rates_available_for_the_platform_costs",
        "USD -> EUR on 2025-03-01 (1 rows of stg_platform__costs)",
    )
    assert missing == []


def test_unpriced_calls_name_the_model_and_the_fix(first_run: tuple[Warehouse, DbtRun]) -> None:
    missing = unsaid(
        first_run[1].output,
        "Compilation Error in test assert_unpriced_share_below_threshold",
        "2025-03: 2 of 8 calls unpriced",
        "openai / in-house-llm-v2: 2 calls in 2025-03",
        "seeds/model_prices.csv has no price for openai / in-house-llm-v2",
        "seeds/model_aliases.csv",
        "chargeback__max_unpriced_share",
    )
    assert missing == []


def test_a_missing_rate_is_never_taken_as_one(first_run: tuple[Warehouse, DbtRun]) -> None:
    warehouse = first_run[0]
    assert warehouse.query(
        "select count(*), count(fx_rate), count(cost_reporting) from marts.fct_request_costs"
        " where is_priced"
    ) == [(6, 0, 0)]
