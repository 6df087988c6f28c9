/*
    The unit-cost mart covers the whole ledger: per month, its total cost and requests equal
    the ledger's (scenario 'unknown' included). Fails with the months that differ.
*/

with

ledger as (
    select
        period_month,
        count(*) as requests,
        coalesce(sum(cost_reporting), 0) as total_cost
    from {{ ref('fct_request_costs') }}
    group by period_month
),

unit_costs as (
    select
        period_month,
        sum(requests) as requests,
        sum(total_cost) as total_cost
    from {{ ref('fct_scenario_unit_cost') }}
    group by period_month
)

{{ totals_that_differ('ledger', 'unit_costs', ['period_month'], ['total_cost', 'requests']) }}
