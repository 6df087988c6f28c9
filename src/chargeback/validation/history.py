"""What dbt tests cannot say: each month against the months before it (GX only, written once).

dbt's tests hold a rule on every build: a key, a tie, a share under a fixed threshold. They do
not compare this month with the last ones. These suites profile a relation by reporting month
(SQL over the relation as read) and check each complete month against the mean of the up to
PRIOR_MONTHS complete months before it. The latest month is still filling, so it is profiled but
not compared; the first month has nothing to be compared with.

- Ledger volume (marts.fct_request_costs): a month with less than MIN_VOLUME_RATIO of the
  requests of the months before means logs went missing (critical); more than MAX_VOLUME_RATIO
  is growth that somebody should explain before the chargeback goes out (warning).
- Unpriced share: the share of unpriced requests rising by more than MAX_SHARE_RISE (a quarter
  of a point) over the months before warns: a new model without a price. dbt fails only above
  `chargeback__max_unpriced_share` (1% by default), a level this shows the way to.
- Cost per request: the mean cost (USD) of a priced request stays within COST_RATIO_BAND of the
  months before (warning): a price, contract or FX change, or a shift of models, to explain.
- Landing quarantine (landing.stg_gateway__requests): the share of landed records quarantined
  rising by more than MAX_SHARE_RISE over the months before warns: a producer changed its
  format. dbt fails only above `chargeback__max_quarantine_share` (1% by default).

Only the volume drop fails the run: the other changes can be real, and are for a person to
explain; GX prints them as warnings and shows them in the Data Docs.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx

from chargeback.validation.checks import Check, Severity, SuitePlan

PRIOR_MONTHS = 3
MIN_VOLUME_RATIO = 0.5
MAX_VOLUME_RATIO = 2.0
MAX_SHARE_RISE = 0.0025
COST_RATIO_BAND = (0.5, 2.0)

# Each month, its measures and, for complete months, each measure against the months before.
PROFILE_SQL = """
with monthly as (
    select period_month, {measures}
    from {{relation}}
    where period_month is not null
    group by period_month
),

compared as (
    select
        *,
        period_month < max(period_month) over () as is_complete,
        {prior}
    from monthly
    window before as (order by period_month rows between {months} preceding and 1 preceding)
)

select period_month, {shown}, {comparisons}
from compared
order by period_month
"""


def profile_sql(measures: dict[str, str], comparisons: dict[str, str]) -> str:
    """The monthly profile: `measures` {name: aggregate}, `comparisons` {name: expression over
    a measure `m` and its mean over the months before `prior_m`}, null unless complete."""
    return PROFILE_SQL.format(
        measures=", ".join(f"{sql} as {name}" for name, sql in measures.items()),
        prior=", ".join(f"avg({name}) over before as prior_{name}" for name in measures),
        months=PRIOR_MONTHS,
        shown=", ".join(measures),
        comparisons=", ".join(
            f"case when is_complete then {sql} end as {name}" for name, sql in comparisons.items()
        ),
    )


def between(
    column: str, low: float | None, high: float | None, severity: Severity, note: str
) -> Check:
    arguments: dict[str, Any] = {"column": column, "min_value": low, "max_value": high}
    return Check(
        gx.expectations.ExpectColumnValuesToBeBetween,
        arguments,
        origin="the history checks (chargeback.validation.history)",
        severity=severity,
        note=note,
    )


LEDGER_BY_MONTH = SuitePlan(
    name="history.ledger_by_month",
    layer="history",
    relation="marts.fct_request_costs",
    key_columns=("period_month",),
    reads=("period_month", "is_priced", "cost_usd"),
    sql=profile_sql(
        measures={
            "requests": "count(*)",
            "unpriced_share": "avg(case when is_priced then 0.0 else 1.0 end)",
            "mean_cost": "avg(cast(cost_usd as double)) filter (where is_priced)",
        },
        comparisons={
            "requests_vs_prior_months": "requests / prior_requests",
            "unpriced_share_rise": "unpriced_share - prior_unpriced_share",
            "mean_cost_vs_prior_months": "mean_cost / prior_mean_cost",
        },
    ),
    checks=(
        between(
            "requests_vs_prior_months",
            MIN_VOLUME_RATIO,
            None,
            "critical",
            "Fewer than half the requests of the months before: logs are missing.",
        ),
        between(
            "requests_vs_prior_months",
            None,
            MAX_VOLUME_RATIO,
            "warning",
            "More than twice the requests of the months before: growth to explain.",
        ),
        between(
            "unpriced_share_rise",
            None,
            MAX_SHARE_RISE,
            "warning",
            "The unpriced share rose by more than a quarter point: a model without a price?",
        ),
        between(
            "mean_cost_vs_prior_months",
            *COST_RATIO_BAND,
            "warning",
            "The mean cost of a priced request moved beyond the band: prices, FX or model mix.",
        ),
    ),
    description="The ledger by reporting month, each complete month against the months before.",
)

LANDING_BY_MONTH = SuitePlan(
    name="history.landing_by_month",
    layer="history",
    relation="staging.stg_gateway__requests",
    key_columns=("period_month",),
    reads=("period_month", "record_issue"),
    sql=profile_sql(
        measures={
            "records": "count(*)",
            "quarantined_share": "avg(case when record_issue is null then 0.0 else 1.0 end)",
        },
        comparisons={"quarantined_share_rise": "quarantined_share - prior_quarantined_share"},
    ),
    checks=(
        between(
            "quarantined_share_rise",
            None,
            MAX_SHARE_RISE,
            "warning",
            "The quarantined share rose by more than a quarter point: a new record format?",
        ),
    ),
    description="Landed gateway records by month, the quarantined share against the months before.",
)


def history_suites() -> tuple[SuitePlan, ...]:
    """The suites that compare months with the months before them."""
    return (LANDING_BY_MONTH, LEDGER_BY_MONTH)
