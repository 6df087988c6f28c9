/*
    The unit-cost mart covers the whole ledger: per month, its requests equal the ledger's and
    its total cost the ledger's cost plus the capacity the calls used of the capacity pools
    that served them (scenario 'unknown' included; idle capacity is no scenario's). Fails with
    the months that differ.
*/

with

ledger_costs as (
    select
        period_month,
        count(*) as requests,
        coalesce(sum(cost_reporting), 0) as total_cost
    from {{ ref('fct_request_costs') }}
    group by period_month
),

capacity_used as (
    select
        period_month,
        sum(allocated_capacity_cost) as capacity_cost
    from {{ ref('int_capacity_costs_allocated') }}
    where capacity_charge = 'used'
    group by period_month
),

ledger as (
    select
        ledger_costs.period_month,
        ledger_costs.requests,
        ledger_costs.total_cost + coalesce(capacity_used.capacity_cost, 0) as total_cost
    from ledger_costs
    left join capacity_used
        on ledger_costs.period_month = capacity_used.period_month
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
