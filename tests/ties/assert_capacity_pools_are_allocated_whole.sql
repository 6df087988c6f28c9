/*
    Every capacity pool period is allocated whole, to the cent: its allocations (used and idle)
    add up to its amount rounded to the cent, in the reporting currency and in USD; every
    period of seed capacity_pools is allocated; and the chargeback carries exactly what was
    allocated (capacity_cost + idle_capacity_cost, over all its rows). A pool its provider
    bills on an invoice is charged once: assert_chargeback_of_each_provider_month_equals_its_invoice
    ties the true-up and the pools to the invoice. fct_capacity_utilisation shows each period
    whole: its used_cost + idle_cost is the period's amount to the cent, in both currencies.
    Fails with the pool periods, or the total, that do not tie.
*/

with

periods as (
    select * from {{ ref('int_capacity_pools_prepared') }}
),

allocations as (
    select
        capacity_pool,
        valid_from,
        max(pool_amount_reporting) as pool_amount_reporting,
        max(pool_amount_usd) as pool_amount_usd,
        sum(allocated_capacity_cost) as allocated,
        sum(allocated_capacity_cost_usd) as allocated_usd
    from {{ ref('int_capacity_costs_allocated') }}
    group by
        capacity_pool,
        valid_from
),

period_failures as (
    select
        periods.capacity_pool as failing,
        periods.valid_from,
        case
            when allocations.capacity_pool is null then 'not allocated'
            else 'allocations do not add up to the amount'
        end as reason,
        allocations.allocated,
        allocations.pool_amount_reporting
    from periods
    left join allocations
        on periods.capacity_pool = allocations.capacity_pool
        and periods.valid_from = allocations.valid_from
    where
        allocations.capacity_pool is null
        or allocations.allocated <> round(allocations.pool_amount_reporting, 2)
        or allocations.allocated_usd <> round(allocations.pool_amount_usd, 2)
),

chargeback as (
    select
        sum(capacity_cost + idle_capacity_cost) as charged,
        sum(capacity_cost_usd + idle_capacity_cost_usd) as charged_usd
    from {{ ref('fct_team_chargeback') }}
),

allocated_total as (
    select
        sum(allocated) as allocated,
        sum(allocated_usd) as allocated_usd
    from allocations
),

total_failures as (
    select
        'all pools' as failing,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        'the chargeback does not carry what was allocated' as reason,
        allocated_total.allocated,
        chargeback.charged as pool_amount_reporting
    from allocated_total
    cross join chargeback
    where
        coalesce(allocated_total.allocated, 0) <> coalesce(chargeback.charged, 0)
        or coalesce(allocated_total.allocated_usd, 0) <> coalesce(chargeback.charged_usd, 0)
),

utilisation_failures as (
    select
        utilisation.capacity_pool as failing,
        utilisation.valid_from,
        'fct_capacity_utilisation does not show the period whole' as reason,
        utilisation.used_cost + utilisation.idle_cost as allocated,
        round(allocations.pool_amount_reporting, 2) as pool_amount_reporting
    from {{ ref('fct_capacity_utilisation') }} as utilisation
    left join allocations
        on utilisation.capacity_pool = allocations.capacity_pool
        and utilisation.valid_from = allocations.valid_from
    where
        allocations.capacity_pool is null
        or utilisation.used_cost + utilisation.idle_cost <> round(allocations.pool_amount_reporting, 2)
        or utilisation.used_cost_usd + utilisation.idle_cost_usd <> round(allocations.pool_amount_usd, 2)
)

select * from period_failures
union all
select * from total_failures
union all
select * from utilisation_failures
