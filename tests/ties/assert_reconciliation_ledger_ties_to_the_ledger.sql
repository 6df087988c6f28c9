/*
    The ledger side of the invoice reconciliation is the ledger: per provider and billing
    period, its requests are the ledger's calls that reached the provider (gateway cache hits
    excluded), and its USD and reporting-currency amounts are the ledger's costs, exactly.
    Fails with the provider billing periods that differ.
*/

with

ledger as (
    select
        provider,
        billing_period_start,
        sum(case when cost_type != 'cache_hit' then 1 else 0 end) as requests,
        coalesce(sum(cost_usd), 0) as cost_usd,
        coalesce(sum(cost_reporting), 0) as cost_reporting
    from {{ ref('fct_request_costs') }}
    group by
        provider,
        billing_period_start
),

reconciliation as (
    select
        provider,
        billing_period_start,
        ledger_requests,
        ledger_amount_usd,
        ledger_amount_reporting
    from {{ ref('fct_invoice_reconciliation') }}
)

select
    coalesce(ledger.provider, reconciliation.provider) as provider,
    coalesce(ledger.billing_period_start, reconciliation.billing_period_start) as billing_period_start,
    ledger.requests,
    reconciliation.ledger_requests,
    ledger.cost_usd,
    reconciliation.ledger_amount_usd
from ledger
full outer join reconciliation
    on ledger.provider = reconciliation.provider
    and ledger.billing_period_start = reconciliation.billing_period_start
where
    coalesce(ledger.requests, 0) != coalesce(reconciliation.ledger_requests, 0)
    or coalesce(ledger.cost_usd, 0) != coalesce(reconciliation.ledger_amount_usd, 0)
    or coalesce(ledger.cost_reporting, 0) != coalesce(reconciliation.ledger_amount_reporting, 0)
