"""Every model the demo calls has a price, and an unknown model is shown, not lost.

A small demo (the full generator: every route, alias and special case) is built on the
committed catalogue and contract seeds.
"""

from __future__ import annotations

from decimal import Decimal

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


def test_the_demo_runs_every_way_a_call_is_priced(demo: Warehouse) -> None:
    """An Azure deployment, a fine-tune, an internal model at the company's own price, a
    model on its own GPU cluster and an Azure deployment of reserved capacity (seeds
    model_deployments, custom_model_prices, capacity_pools): each priced as its kind says,
    none unpriced; Azure's invoices bill the reservation and reconcile against the ledger and
    the pool."""
    paths = dict(
        (row[0], row[1:])
        for row in demo.query(
            "select model_logged, min(price_source_kind), max(price_source_kind),"
            " min(model_deployment), min(fine_tune_id), min(capacity_pool), bool_and(is_priced)"
            " from marts.fct_request_costs where model_logged in ("
            "'azure/support-o4mini-prod', 'ft:gpt-4o-mini-2024-07-18:acme::sales-v1',"
            " 'triage-small-v2', 'gpu-pool-a', 'azure/callsum-gpt4omini-ptu') group by model_logged"
        )
    )
    fine_tune = "ft:gpt-4o-mini-2024-07-18:acme::sales-v1"
    assert paths == {
        "azure/support-o4mini-prod": (
            "catalogue", "catalogue", "azure/support-o4mini-prod", None, None, True,
        ),
        fine_tune: ("catalogue", "catalogue", None, fine_tune, None, True),
        "triage-small-v2": ("custom", "custom", None, None, None, True),
        "gpu-pool-a": ("capacity", "capacity", "gpu-pool-a", None, "gpu-cluster-a", True),
        "azure/callsum-gpt4omini-ptu": (
            "capacity", "capacity", "azure/callsum-gpt4omini-ptu", None, "azure-ptu-callsum", True,
        ),
    }  # fmt: skip
    # Azure bills the PTU pool on its invoice: compared with the pool, never a variance
    azure = demo.query(
        "select status, capacity_amount from marts.fct_invoice_reconciliation"
        " where provider = 'azure_openai' and has_invoice"
    )
    pool_months = demo.scalar(
        "select count(*) from reference.capacity_pools where capacity_pool = 'azure-ptu-callsum'"
    )
    assert len(azure) == pool_months == 3
    assert {status for status, _ in azure} <= {"matched", "within_tolerance"}
    assert {amount for _, amount in azure} == {Decimal("150.00")}
    # the pool's months are allocated whole: what its calls used, and the idle rest
    allocated, pools = demo.row(
        "select sum(capacity_cost_usd + idle_capacity_cost_usd),"
        " (select sum(amount) from reference.capacity_pools) from marts.fct_team_chargeback"
    )
    assert allocated == pools
