/*
    The shared platform costs of the FOCUS export, as allocated charges (FOCUS 1.3 split cost
    allocation, as x_ columns; DECISIONS.md, "FOCUS export").

    Grain: one row per reporting month x cost pool x owner (team, product, environment), the
    rows of int_shared_costs_allocated. The origin charge is the pool's month (its landed
    platform cost lines summed, converted at the month's first-day rate); each allocated
    charge is the owner's allocation, to the cent, so the rows of a pool add up to the pool.

    A pool is a monthly purchase of a platform service (ChargeCategory Purchase, Recurring):
    its unit price is the pool's month in the billing currency and an owner's pricing
    quantity is its share of that month (the allocation ratio, 12 decimals), so list and
    contracted cost are unit price x quantity; billed and effective cost are the allocated
    cents, which differ from them by the rounding to the cent.
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

allocations as (
    select * from {{ ref('int_shared_costs_allocated') }}
),

platform_costs as (
    select * from {{ ref('stg_platform__costs') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

pool_descriptions as (
    select
        period_month,
        cost_pool,
        min(description) as pool_description,
        count(distinct description) as descriptions
    from platform_costs
    group by
        period_month,
        cost_pool
),

allocations_described as (
    select
        allocations.*,
        case
            when pool_descriptions.descriptions > 1
                then {{ dbt.concat(['pool_descriptions.pool_description', "' and other lines'"]) }}
            else pool_descriptions.pool_description
        end as pool_description,
        cast(allocations.pool_share as decimal(13, 12)) as pricing_quantity,
        {{ fx_rate_or_one('allocations.pool_currency', "'" ~ reporting_currency ~ "'", 'to_reporting.rate') }} as fx_rate
    from allocations
    left join pool_descriptions
        on allocations.period_month = pool_descriptions.period_month
        and allocations.cost_pool = pool_descriptions.cost_pool
    -- the rate int_shared_costs_allocated converted the pool at: the month's first day
    {{ fx_rate_join('to_reporting', 'allocations.pool_currency', 'allocations.period_month', "'" ~ reporting_currency ~ "'") }}
),

final as (
    select
        {{ surrogate_key(["'shared_cost'", 'period_month', 'cost_pool', 'team_id', 'product_id', 'environment']) }}
            as charge_key,
        'shared_cost' as charge_kind,
        period_month,
        cost_pool,
        pool_description,
        team_id,
        product_id,
        environment,
        allocation_method,
        eligible_requests,
        pool_share as allocated_ratio,
        pool_currency,
        pool_amount,
        fx_rate,
        cast(pool_amount_reporting as {{ type_billing_money() }}) as allocation_origin_cost,
        pricing_quantity,
        cast(pool_amount_reporting as {{ type_billing_money() }}) as unit_price,
        cast(cast(pool_amount_reporting as decimal(24, 12)) * pricing_quantity as {{ type_billing_money() }})
            as list_cost,
        cast(allocated_shared_cost as {{ type_billing_money() }}) as effective_cost,
        {{ reporting_month_bounds('period_month') }}
    from allocations_described
)

select * from final
