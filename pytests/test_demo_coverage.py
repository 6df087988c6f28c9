"""Every model the demo calls has a catalogue price, and an unknown model is shown, not lost.

A small demo (the full generator: every route, alias and special case) is built on the
committed catalogue and contract seeds.
"""

from __future__ import annotations

import pytest

from harness import Warehouse

UNKNOWN_MODEL = "gpt-realtime-audio-2026-11-05"  # src/chargeback/demo/special.py


@pytest.fixture(scope="module")
def demo(small_demo: Warehouse) -> Warehouse:
    return small_demo


def test_every_model_the_demo_calls_is_priced_except_the_unknown_one(demo: Warehouse) -> None:
    models = demo.query(
        "select provider, model_canonical, bool_and(is_priced), bool_or(is_priced), count(*)"
        " from marts.fct_request_costs group by all order by all"
    )
    assert len(models) >= 10
    unpriced = [(p, m) for p, m, all_priced, _, _ in models if not all_priced]
    assert unpriced == [("openai", UNKNOWN_MODEL)]
    assert next(row for row in models if row[1] == UNKNOWN_MODEL)[3] is False


def test_the_unknown_model_lands_in_the_unpriced_bucket_with_its_reason(demo: Warehouse) -> None:
    reason, calls, with_cost = demo.row(
        "select unpriced_reason, count(*), count(cost_usd) from marts.fct_request_costs"
        " where not is_priced group by all"
    )
    assert reason == "no price for this provider, model and date"
    assert calls >= 3 and with_cost == 0


def test_the_reconciliation_shows_the_unknown_models_calls_and_amount(demo: Warehouse) -> None:
    billed_unpriced = demo.scalar(
        "select count(*) from marts.fct_request_costs"
        " where not is_priced and cost_type != 'cache_hit'"
    )
    shown, explained = demo.query(
        "select sum(unpriced_requests), sum(explained_unpriced_usage)"
        " from marts.fct_invoice_reconciliation where provider = 'openai' and has_invoice"
    )[0]
    awaiting = demo.scalar(
        "select coalesce(sum(unpriced_requests), 0) from marts.fct_invoice_reconciliation"
        " where not has_invoice"
    )
    assert shown + awaiting == billed_unpriced
    assert explained > 0  # the invoice bills the model; the ledger could not price it
