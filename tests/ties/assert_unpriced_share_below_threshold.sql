/*
    Unpriced requests are kept and flagged, but a ledger where more than
    `chargeback__max_unpriced_share` of the requests of a month cannot be priced is not fit to
    bill: the price table is missing a model. Fails with the months over the threshold.
*/

with

ledger as (
    select * from {{ ref('fct_request_costs') }}
),

shares as (
    select
        period_month,
        count(*) as requests,
        sum(case when is_priced then 0 else 1 end) as unpriced_requests
    from ledger
    group by period_month
)

select
    period_month,
    requests,
    unpriced_requests
from shares
where unpriced_requests > {{ var('chargeback__max_unpriced_share', 0.01) }} * requests
