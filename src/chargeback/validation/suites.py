"""The suites: one entry per validated relation, with every expectation on it.

To validate another relation, add a `SuiteSpec` to SUITES; to check more of one, add rules.
Landing data is read through the staging model (typed, one row per landed record); value
checks there look at clean rows only (`record_issue is null`), since quarantined rows are
fct_quarantined_records' business, not a validation failure.
"""

from __future__ import annotations

from chargeback.validation.frames import exact_gap
from chargeback.validation.specs import (
    SuiteSpec,
    at_least,
    between,
    equals,
    in_set,
    is_null,
    matches,
    non_negative,
    not_null,
    null,
    unique,
    unique_together,
    within_tolerance,
)

CLEAN = is_null("record_issue")
ENVIRONMENTS = ("prod", "stage", "dev", "test", "unknown")
COST_TYPES = ("usage", "retry", "failed", "cache_hit")
INVOICED_STATUSES = ("matched", "within_tolerance", "investigate")
RECONCILIATION_STATUSES = (*INVOICED_STATUSES, "awaiting_invoice")
TOKEN_COLUMNS = (
    "input_tokens",
    "uncached_input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
)

LANDING_GATEWAY_REQUESTS = SuiteSpec(
    name="landing.gateway_requests",
    layer="landing",
    relation="staging.stg_gateway__requests",
    columns=(
        "request_id",
        "attempt_number",
        "occurred_at",
        "period_month",
        "provider_logged",
        "model_logged",
        "status_code",
        *TOKEN_COLUMNS,
        "environment_tag",
        "source_system",
        "source_format",
        "record_issue",
    ),
    key_columns=("request_id",),
    rules=(
        *not_null("request_id", "occurred_at", "period_month", where=CLEAN),
        unique("request_id", where=CLEAN),
        *not_null("provider_logged", "model_logged", where=CLEAN),
        *non_negative(*TOKEN_COLUMNS, where=CLEAN),
        between("status_code", 100, 599, where=CLEAN),
        between("attempt_number", 1, where=CLEAN),
        # Staging lower-cases the tag as sent; the vocabulary applies to the resolved
        # environment (fct_request_costs.environment): an unknown tag is not a landing error.
        matches("environment_tag", r"^[^A-Z]*$", where=CLEAN),
        in_set("source_format", ("jsonl", "parquet", "csv")),
        in_set("source_system", ("gateway",)),
    ),
)

FCT_REQUEST_COSTS = SuiteSpec(
    name="marts.fct_request_costs",
    layer="marts",
    relation="marts.fct_request_costs",
    columns=(
        "request_id",
        "attempt_number",
        "period_month",
        "provider",
        "team_id",
        "environment",
        "cost_type",
        "is_priced",
        "cost_usd",
        "input_tokens",
        "output_tokens",
    ),
    key_columns=("request_id",),
    rules=(
        *not_null("request_id"),
        unique("request_id"),
        *not_null("period_month", "provider", "team_id", "environment", "cost_type", "is_priced"),
        between("attempt_number", 1),
        *non_negative("cost_usd", "input_tokens", "output_tokens"),
        null("cost_usd", where=equals("is_priced", False)),
        *not_null("cost_usd", where=equals("is_priced", True)),
        in_set("cost_type", COST_TYPES),
        in_set("environment", ENVIRONMENTS),
    ),
    share_pattern="*_share",
)

FCT_TEAM_CHARGEBACK = SuiteSpec(
    name="marts.fct_team_chargeback",
    layer="marts",
    relation="marts.fct_team_chargeback",
    columns=(
        "period_month",
        "team_id",
        "product_id",
        "environment",
        "usage_cost",
        "retry_cost",
        "failed_cost",
        "ledger_cost",
        "shared_cost",
        "invoice_true_up",
        "total_charge",
        "billing_mode",
    ),
    key_columns=("period_month", "team_id", "product_id", "environment"),
    derived=(
        exact_gap("total_charge", plus=("ledger_cost", "shared_cost", "invoice_true_up")),
        exact_gap("ledger_cost", plus=("usage_cost", "retry_cost", "failed_cost")),
    ),
    rules=(
        unique_together("period_month", "team_id", "product_id", "environment"),
        *not_null("total_charge", "ledger_cost", "shared_cost", "invoice_true_up"),
        # A charge goes negative only through a credit: a negative invoice true-up.
        between("total_charge", 0, where=at_least("invoice_true_up", 0)),
        *non_negative("ledger_cost", "usage_cost", "retry_cost", "failed_cost"),
        within_tolerance("total_charge_tie_gap"),
        within_tolerance("ledger_cost_tie_gap"),
        in_set("environment", ENVIRONMENTS),
        in_set("billing_mode", ("chargeback", "showback")),
    ),
    share_pattern="*_share",
)

FCT_INVOICE_RECONCILIATION = SuiteSpec(
    name="marts.fct_invoice_reconciliation",
    layer="marts",
    relation="marts.fct_invoice_reconciliation",
    columns=(
        "reconciliation_id",
        "billing_period_start",
        "provider",
        "has_invoice",
        "status",
        "invoice_amount",
        "ledger_amount",
        "variance",
    ),
    key_columns=("billing_period_start", "provider"),
    derived=(exact_gap("variance", plus=("invoice_amount",), minus=("ledger_amount",)),),
    rules=(
        *not_null("reconciliation_id"),
        unique("reconciliation_id"),
        unique_together("billing_period_start", "provider"),
        *not_null("status", "has_invoice"),
        in_set("status", RECONCILIATION_STATUSES),
        in_set("status", ("awaiting_invoice",), where=equals("has_invoice", False)),
        in_set("status", INVOICED_STATUSES, where=equals("has_invoice", True)),
        *not_null("invoice_amount", "ledger_amount", "variance", where=equals("has_invoice", True)),
        within_tolerance("variance_tie_gap", where=equals("has_invoice", True)),
    ),
    share_pattern="*_share",
)

FCT_SHOWBACK_CONFIDENCE = SuiteSpec(
    name="marts.fct_showback_confidence",
    layer="marts",
    relation="marts.fct_showback_confidence",
    columns=(
        "period_month",
        "team_id",
        "attributable_share",
        "key_only_share",
        "conflict_share",
        "shared_key_share",
        "unpriced_share",
        "reconciliation_variance_pct",
        "confidence_score",
        "is_chargeback_ready",
    ),
    key_columns=("period_month", "team_id"),
    rules=(
        unique_together("period_month", "team_id"),
        between("confidence_score", 0, 100),
        *non_negative("reconciliation_variance_pct"),
        *not_null("confidence_score", "is_chargeback_ready"),
    ),
    share_pattern="*_share",
)

FCT_TAG_COMPLETENESS = SuiteSpec(
    name="marts.fct_tag_completeness",
    layer="marts",
    relation="marts.fct_tag_completeness",
    columns=(
        "period_month",
        "team_id",
        "environment",
        "team_tag_request_share",
        "team_tag_spend_share",
        "complete_tag_request_share",
        "complete_tag_spend_share",
    ),
    key_columns=("period_month", "team_id", "environment"),
    rules=(
        unique_together("period_month", "team_id", "environment"),
        in_set("environment", ENVIRONMENTS),
    ),
    share_pattern="*_share",
)

SUITES: tuple[SuiteSpec, ...] = (
    LANDING_GATEWAY_REQUESTS,
    FCT_REQUEST_COSTS,
    FCT_TEAM_CHARGEBACK,
    FCT_INVOICE_RECONCILIATION,
    FCT_SHOWBACK_CONFIDENCE,
    FCT_TAG_COMPLETENESS,
)
