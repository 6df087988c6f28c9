/*
    Every platform cost pool is allocated whole, to the cent: the allocations of a pool add up
    to the pool rounded to the cent (reporting currency and USD), and the chargeback's shared
    cost of a month is the sum of that month's pools. Fails with the pools or months that do not.
*/

with

allocations as (
    select
        period_month,
        cost_pool,
        max(pool_amount_reporting) as pool_amount_reporting,
        max(pool_amount_usd) as pool_amount_usd,
        sum(allocated_shared_cost) as allocated,
        sum(allocated_shared_cost_usd) as allocated_usd
    from {{ ref('int_shared_costs_allocated') }}
    group by
        period_month,
        cost_pool
),

pools_landed as (
    select
        period_month,
        count(distinct cost_pool) as pools
    from {{ ref('stg_platform__costs') }}
    group by period_month
),

pools_allocated as (
    select
        period_month,
        count(*) as pools,
        sum(allocated) as allocated
    from allocations
    group by period_month
),

chargeback as (
    select
        charge_period_month as period_month,
        sum(shared_cost) as shared_cost
    from {{ ref('fct_team_chargeback') }}
    group by charge_period_month
),

pool_failures as (
    select
        period_month,
        cost_pool as failing,
        allocated - round(pool_amount_reporting, 2) as difference
    from allocations
    where
        allocated <> round(pool_amount_reporting, 2)
        or allocated_usd <> round(pool_amount_usd, 2)
),

month_failures as (
    select
        pools_landed.period_month,
        'month total' as failing,
        coalesce(chargeback.shared_cost, 0) - coalesce(pools_allocated.allocated, 0) as difference
    from pools_landed
    left join pools_allocated
        on pools_landed.period_month = pools_allocated.period_month
    left join chargeback
        on pools_landed.period_month = chargeback.period_month
    where
        pools_allocated.pools is null
        or pools_allocated.pools <> pools_landed.pools
        or coalesce(chargeback.shared_cost, 0) <> pools_allocated.allocated
)

select * from pool_failures
union all
select * from month_failures
