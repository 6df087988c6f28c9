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
        ledger_requests as requests,
        ledger_amount_usd as cost_usd,
        ledger_amount_reporting as cost_reporting
    from {{ ref('fct_invoice_reconciliation') }}
)

{{ totals_that_differ('ledger', 'reconciliation', ['provider', 'billing_period_start'], ['requests', 'cost_usd', 'cost_reporting']) }}
