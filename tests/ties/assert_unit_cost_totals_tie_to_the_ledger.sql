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

select
    coalesce(ledger.period_month, unit_costs.period_month) as period_month,
    ledger.total_cost as ledger_cost,
    unit_costs.total_cost as unit_cost_total
from ledger
full outer join unit_costs
    on ledger.period_month = unit_costs.period_month
where
    coalesce(ledger.total_cost, 0) <> coalesce(unit_costs.total_cost, 0)
    or coalesce(ledger.requests, 0) <> coalesce(unit_costs.requests, 0)
