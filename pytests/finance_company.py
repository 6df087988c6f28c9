"""The one-team company of the invoice acceptance examples, which each bring their own prices.

The finance team owns the ledger bot, called with one production key; the company reports in
KZT (1 USD = 500 KZT in October 2026, 510 in November) and budgets 30,000,000 KZT for
October. Its calls carry every tag, its providers bill October in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness import (
    INVOICE_HEADER,
    NO_CONTRACTS,
    NO_MATCH_RULES,
    PRICE_HEADER,
    Warehouse,
    write_csv,
)


def seeds(*model_prices: str) -> dict[str, str]:
    """The company's seeds, its price table made of `model_prices` (rows of model_prices.csv);
    no match rules and no contracts, so that the models are priced as logged."""
    return {
        "teams": "team_id,team_name,department,cost_center,budget_owner\nfinance,Finance,f,cc-f,o",
        "products": "product_id,product_name,owner_team_id,lifecycle\n"
        "ledgerbot,Ledger bot,finance,production",
        "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
        "ledgerbot,answer,Answer,answer,request",
        "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,valid_from,"
        "valid_to\nkey_finance,finance,ledgerbot,prod,false,2026-01-01,",
        "model_prices": "\n".join((PRICE_HEADER, *model_prices)),
        "model_match_rules": NO_MATCH_RULES,
        "contract_prices": NO_CONTRACTS,
        "fx_rates": "rate_date,from_currency,to_currency,rate,source\n"
        "2026-10-01,USD,KZT,500.00000000,acceptance example\n"
        "2026-11-01,USD,KZT,510.00000000,acceptance example",
        "budgets": "period_month,team_id,amount,currency\n2026-10-01,finance,30000000,KZT",
    }


def call(request_id: str, provider: str, occurred_at: str, input_tokens: int) -> dict[str, Any]:
    """A successful ledger bot call of `flat-model` with input tokens only, fully tagged."""
    return {
        "request_id": request_id,
        "occurred_at": occurred_at,
        "provider": provider,
        "model": "flat-model",
        "api_key_id": "key_finance",
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": input_tokens,
        "output_tokens": 0,
        "team": "finance",
        "product": "ledgerbot",
        "environment": "prod",
        "scenario": "answer",
    }


def october_day(number: int) -> str:
    """9:00 UTC on one of October's first 28 days, the `number`th call's."""
    return f"2026-10-{1 + number % 28:02d}T09:00:00Z"


def write_october_invoice(
    warehouse: Warehouse, invoice_id: str, provider: str, lines: Sequence[Sequence[Any]]
) -> None:
    """The provider's invoice for October 2026 (landing/invoices/<provider>_2026-10.csv), its
    lines numbered from 1; each line is its description, model, token type, quantity, unit,
    amount, currency and charge category."""
    write_csv(
        warehouse.landing / "invoices" / f"{provider}_2026-10.csv",
        INVOICE_HEADER,
        [
            [invoice_id, provider, "2026-10-01", "2026-11-01", number, *line]
            for number, line in enumerate(lines, start=1)
        ],
    )
