/*
    Capacity pools allocated to the calls they served (DECISIONS.md, "Capacity pools";
    docs/accounting-rules.md#capacity-pools).

    A pool's period (int_capacity_pools_prepared) buys capacity_weighted_tokens for its amount.
    Rule, per pool and period:
      - the calls it served are the ledger rows priced by the period's zero-rate row (their
        deployment names the pool); gateway cache hits never reached the pool and are left out;
      - a call's weighted tokens = uncached input x the input weight + cache reads x the cache
        read weight + cache writes (5-minute and 1-hour) x the cache write weight + output x
        the output weight (chargeback__capacity_token_weights: output heavier than input);
      - used share = min(1, weighted tokens served / capacity_weighted_tokens);
      - allocated_capacity_cost of an owner row (period_month x team x product x environment x
        scenario) = amount x used share x its weighted tokens / the weighted tokens served;
      - the rest, amount x (1 - used share), is idle capacity: charged whole to the pool's
        idle_owner_team_id (product UNALLOCATED, environment unknown, in the month the period
        pays for); without an owner, shared by the same owner rows in proportion to their
        weighted tokens; a period nobody used with no owner goes whole to UNALLOCATED.
    Allocations are rounded to the cent with the largest-remainder method over every row of a
    period (used and idle together), so that the allocated_* amounts of a period add up to its
    amount exactly, in the reporting currency and in USD alike. The amount is converted at the
    rate of the first day of the month the period pays for.
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}
{%- set weights = var('chargeback__capacity_token_weights') %}
{%- set partition = ['shares.capacity_pool', 'shares.valid_from'] %}
{%- set tie_break = [
    'shares.capacity_charge', 'shares.period_month', 'shares.team_id', 'shares.product_id',
    'shares.environment', 'shares.scenario_id',
] %}

with

periods as (
    select * from {{ ref('int_capacity_pools_prepared') }}
),

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

periods_converted as (
    select
        periods.*,
        {{ convert_currency(
            'periods.pool_amount',
            fx_rate_or_one('periods.pool_currency', "'" ~ reporting_currency ~ "'", 'to_reporting.rate')
        ) }} as pool_amount_reporting,
        {{ convert_currency(
            'periods.pool_amount', fx_rate_or_one('periods.pool_currency', "'USD'", 'to_usd.rate')
        ) }} as pool_amount_usd
    from periods
    {{ fx_rate_join('to_reporting', 'periods.pool_currency', 'periods.period_month', "'" ~ reporting_currency ~ "'") }}
    {{ fx_rate_join('to_usd', 'periods.pool_currency', 'periods.period_month', "'USD'") }}
),

served_by_owner as (
    select
        periods.capacity_pool,
        periods.valid_from,
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.environment,
        ledger.scenario_id,
        sum(ledger.requests) as served_requests,
        sum(
            cast({{ weights['input'] }} as decimal(18, 6)) * ledger.uncached_input_tokens
            + cast({{ weights['cache_read'] }} as decimal(18, 6)) * ledger.cache_read_tokens
            + cast({{ weights['cache_write'] }} as decimal(18, 6))
            * (ledger.cache_write_tokens + ledger.cache_write_1h_tokens)
            + cast({{ weights['output'] }} as decimal(18, 6)) * ledger.output_tokens
        ) as weighted_tokens
    from ledger
    inner join periods
        on ledger.price_row_id = periods.capacity_price_row_id
    where ledger.cost_type != 'cache_hit'
    group by
        periods.capacity_pool,
        periods.valid_from,
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.environment,
        ledger.scenario_id
),

served_by_period as (
    select
        capacity_pool,
        valid_from,
        sum(weighted_tokens) as weighted_tokens_served
    from served_by_owner
    group by
        capacity_pool,
        valid_from
),

period_usage as (
    select
        periods_converted.*,
        coalesce(served_by_period.weighted_tokens_served, 0) as weighted_tokens_served,
        case
            when coalesce(served_by_period.weighted_tokens_served, 0) >= periods_converted.capacity_weighted_tokens
                then cast(1 as {{ type_share() }})
            else
                cast(coalesce(served_by_period.weighted_tokens_served, 0) as {{ type_share() }})
                / periods_converted.capacity_weighted_tokens
        end as used_share
    from periods_converted
    left join served_by_period
        on periods_converted.capacity_pool = served_by_period.capacity_pool
        and periods_converted.valid_from = served_by_period.valid_from
),

capacity_charges as (
    select 'used' as capacity_charge
    union all
    select 'idle' as capacity_charge
),

-- the used part, and the idle part where the pool has no owner for it: by weighted tokens
user_shares as (
    select
        served_by_owner.capacity_pool,
        served_by_owner.valid_from,
        served_by_owner.period_month,
        served_by_owner.team_id,
        served_by_owner.product_id,
        served_by_owner.environment,
        served_by_owner.scenario_id,
        charges.capacity_charge,
        served_by_owner.served_requests,
        served_by_owner.weighted_tokens,
        case
            when charges.capacity_charge = 'used' then period_usage.used_share
            else 1 - period_usage.used_share
        end
        * served_by_owner.weighted_tokens / period_usage.weighted_tokens_served as pool_share
    from served_by_owner
    inner join period_usage
        on served_by_owner.capacity_pool = period_usage.capacity_pool
        and served_by_owner.valid_from = period_usage.valid_from
    cross join capacity_charges as charges
    where
        period_usage.weighted_tokens_served > 0
        and (charges.capacity_charge = 'used' or period_usage.idle_owner_team_id is null)
),

-- the idle part charged whole to the pool's owner, or to UNALLOCATED when nobody used it
owner_shares as (
    select
        capacity_pool,
        valid_from,
        period_month,
        coalesce(idle_owner_team_id, 'UNALLOCATED') as team_id,
        'UNALLOCATED' as product_id,
        'unknown' as environment,
        cast(null as {{ dbt.type_string() }}) as scenario_id,
        'idle' as capacity_charge,
        cast(0 as {{ dbt.type_bigint() }}) as served_requests,
        cast(0 as decimal(38, 6)) as weighted_tokens,
        1 - used_share as pool_share
    from period_usage
    where
        idle_owner_team_id is not null
        or weighted_tokens_served = 0
),

shares as (
    select * from user_shares
    union all
    select * from owner_shares
),

exact_allocations as (
    select
        shares.*,
        period_usage.provider,
        period_usage.period_month as pool_period_month,
        period_usage.period_key,
        period_usage.capacity_weighted_tokens,
        period_usage.weighted_tokens_served,
        period_usage.used_share,
        period_usage.pool_currency,
        period_usage.pool_amount,
        period_usage.pool_amount_reporting,
        period_usage.pool_amount_usd,
        {{ largest_remainder_cents(
            'period_usage.pool_amount_reporting * shares.pool_share',
            'period_usage.pool_amount_reporting',
            partition,
            tie_break,
        ) }} as allocated_cents_reporting,
        {{ largest_remainder_cents(
            'period_usage.pool_amount_usd * shares.pool_share',
            'period_usage.pool_amount_usd',
            partition,
            tie_break,
        ) }} as allocated_cents_usd
    from shares
    inner join period_usage
        on shares.capacity_pool = period_usage.capacity_pool
        and shares.valid_from = period_usage.valid_from
),

final as (
    select
        capacity_pool,
        valid_from,
        provider,
        period_month,
        team_id,
        product_id,
        environment,
        scenario_id,
        capacity_charge,
        served_requests,
        weighted_tokens,
        weighted_tokens_served,
        capacity_weighted_tokens,
        used_share,
        pool_share,
        pool_currency,
        pool_amount,
        pool_amount_reporting,
        pool_amount_usd,
        pool_period_month,
        period_key,
        cast(allocated_cents_reporting as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_capacity_cost,
        cast(allocated_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_capacity_cost_usd,
        '{{ reporting_currency }}' as reporting_currency
    from exact_allocations
)

select * from final
