/*
    Unpriced requests are kept and flagged, but a ledger where more than
    `chargeback__max_unpriced_share` of the requests of a month cannot be priced is not fit to
    bill: the price table is missing a model. A partly priced request (its tokens priced, a
    quantity without a catalogue price: audio tokens of a model without an audio price, code
    execution) counts too: its cost is short of what was bought by what has no price. Fails
    with the months over the threshold, the two kinds counted apart.
*/

with

ledger as (
    select * from {{ ref('fct_request_costs') }}
),

shares as (
    select
        period_month,
        count(*) as requests,
        sum(case when is_priced then 0 else 1 end) as unpriced_requests,
        sum(case when is_priced and unpriced_reason is not null then 1 else 0 end) as partly_priced_requests
    from ledger
    group by period_month
)

select
    period_month,
    requests,
    unpriced_requests,
    partly_priced_requests
from shares
where unpriced_requests + partly_priced_requests > {{ var('chargeback__max_unpriced_share', 0.01) }} * requests
