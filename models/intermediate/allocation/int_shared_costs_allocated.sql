/*
    Shared platform costs allocated to the rows that drew on them (docs/accounting-rules.md#shared-costs).

    Rule, per month and cost pool:
      - a request is eligible when its environment is in the rule's eligible_environments
        and its product's lifecycle is in eligible_lifecycles (so pilots and tests never draw on
        production pools, and unattributed requests draw on none);
      - weight_by_requests of the pool is split in proportion to eligible requests;
      - weight_even of the pool is split evenly among the products with at least one eligible
        request, and within a product among its rows in proportion to their requests;
      - a pool with no eligible request that month goes whole to UNALLOCATED, visibly.
    Allocations are rounded to the cent with the largest-remainder method: every row is floored
    to the cent, and the cents still missing go to the rows that lost most in rounding, so the
    allocated_* amounts of a pool add up to the pool exactly, in the reporting currency and in
    USD alike. Pools are converted at the rate of the month's first day.
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

platform_costs as (
    select * from {{ ref('stg_platform__costs') }}
),

rules as (
    select * from {{ ref('shared_cost_rules') }}
),

products as (
    select * from {{ ref('products') }}
),

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

pools as (
    select
        platform_costs.period_month,
        platform_costs.cost_pool,
        platform_costs.currency as pool_currency,
        sum(platform_costs.amount) as pool_amount
    from platform_costs
    group by
        platform_costs.period_month,
        platform_costs.cost_pool,
        platform_costs.currency
),

pools_converted as (
    select
        pools.*,
        rules.weight_by_requests,
        rules.weight_even,
        rules.eligible_environments,
        rules.eligible_lifecycles,
        {{ convert_currency(
            'pools.pool_amount',
            fx_rate_or_one('pools.pool_currency', "'" ~ reporting_currency ~ "'", 'to_reporting.rate')
        ) }} as pool_amount_reporting,
        {{ convert_currency(
            'pools.pool_amount', fx_rate_or_one('pools.pool_currency', "'USD'", 'to_usd.rate')
        ) }} as pool_amount_usd
    from pools
    inner join rules
        on pools.cost_pool = rules.cost_pool
    {{ fx_rate_join('to_reporting', 'pools.pool_currency', 'pools.period_month', "'" ~ reporting_currency ~ "'") }}
    {{ fx_rate_join('to_usd', 'pools.pool_currency', 'pools.period_month', "'USD'") }}
),

requests_by_owner as (
    select
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.environment,
        products.lifecycle,
        sum(ledger.requests) as requests
    from ledger
    inner join products
        on ledger.product_id = products.product_id
    group by
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.environment,
        products.lifecycle
),

eligible_requests as (
    select
        pools_converted.period_month,
        pools_converted.cost_pool,
        requests_by_owner.team_id,
        requests_by_owner.product_id,
        requests_by_owner.environment,
        requests_by_owner.requests
    from pools_converted
    inner join requests_by_owner
        on pools_converted.period_month = requests_by_owner.period_month
        and {{ dbt.concat(["' '", 'pools_converted.eligible_environments', "' '"]) }}
        like {{ dbt.concat(["'% '", 'requests_by_owner.environment', "' %'"]) }}
        and {{ dbt.concat(["' '", 'pools_converted.eligible_lifecycles', "' '"]) }}
        like {{ dbt.concat(["'% '", 'requests_by_owner.lifecycle', "' %'"]) }}
),

eligible_totals as (
    select
        period_month,
        cost_pool,
        sum(requests) as pool_requests,
        count(distinct product_id) as eligible_products
    from eligible_requests
    group by
        period_month,
        cost_pool
),

product_totals as (
    select
        period_month,
        cost_pool,
        product_id,
        sum(requests) as product_requests
    from eligible_requests
    group by
        period_month,
        cost_pool,
        product_id
),

shares as (
    -- share of the pool = weight_by_requests x row / pool requests
    --                    + weight_even / eligible products x row / product requests
    select
        eligible_requests.period_month,
        eligible_requests.cost_pool,
        eligible_requests.team_id,
        eligible_requests.product_id,
        eligible_requests.environment,
        eligible_requests.requests as eligible_requests,
        'requests_and_even' as allocation_method,
        cast(pools_converted.weight_by_requests as {{ type_share() }})
        * eligible_requests.requests / eligible_totals.pool_requests
        + cast(pools_converted.weight_even as {{ type_share() }})
        / eligible_totals.eligible_products
        * eligible_requests.requests / product_totals.product_requests as pool_share
    from eligible_requests
    inner join pools_converted
        on eligible_requests.period_month = pools_converted.period_month
        and eligible_requests.cost_pool = pools_converted.cost_pool
    inner join eligible_totals
        on eligible_requests.period_month = eligible_totals.period_month
        and eligible_requests.cost_pool = eligible_totals.cost_pool
    inner join product_totals
        on eligible_requests.period_month = product_totals.period_month
        and eligible_requests.cost_pool = product_totals.cost_pool
        and eligible_requests.product_id = product_totals.product_id
),

unclaimed_pools as (
    select
        pools_converted.period_month,
        pools_converted.cost_pool,
        'UNALLOCATED' as team_id,
        'UNALLOCATED' as product_id,
        'unknown' as environment,
        0 as eligible_requests,
        'no_eligible_requests' as allocation_method,
        cast(1 as {{ type_share() }}) as pool_share
    from pools_converted
    left join eligible_totals
        on pools_converted.period_month = eligible_totals.period_month
        and pools_converted.cost_pool = eligible_totals.cost_pool
    where eligible_totals.cost_pool is null
),

all_shares as (
    select * from shares
    union all
    select * from unclaimed_pools
),

exact_allocations as (
    select
        all_shares.*,
        pools_converted.pool_currency,
        pools_converted.pool_amount,
        pools_converted.pool_amount_reporting,
        pools_converted.pool_amount_usd,
        {{ largest_remainder_cents(
            'pools_converted.pool_amount_reporting * all_shares.pool_share',
            'pools_converted.pool_amount_reporting',
            ['all_shares.period_month', 'all_shares.cost_pool'],
            ['all_shares.team_id', 'all_shares.product_id', 'all_shares.environment'],
        ) }} as allocated_cents_reporting,
        {{ largest_remainder_cents(
            'pools_converted.pool_amount_usd * all_shares.pool_share',
            'pools_converted.pool_amount_usd',
            ['all_shares.period_month', 'all_shares.cost_pool'],
            ['all_shares.team_id', 'all_shares.product_id', 'all_shares.environment'],
        ) }} as allocated_cents_usd
    from all_shares
    inner join pools_converted
        on all_shares.period_month = pools_converted.period_month
        and all_shares.cost_pool = pools_converted.cost_pool
),

final as (
    select
        period_month,
        cost_pool,
        team_id,
        product_id,
        environment,
        allocation_method,
        eligible_requests,
        pool_share,
        pool_currency,
        pool_amount,
        pool_amount_reporting,
        pool_amount_usd,
        cast(allocated_cents_reporting as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_shared_cost,
        cast(allocated_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_shared_cost_usd,
        '{{ reporting_currency }}' as reporting_currency
    from exact_allocations
)

select * from final
