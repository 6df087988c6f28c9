/*
    The periods of each capacity pool (seed capacity_pools) ready for pricing and allocation.

    A pool's period [valid_from, valid_to) is a UTC range inside one month (whole days, or an
    hour range: a pool billed by the hour); the calls
    of the deployments that name the pool (model_deployments.capacity_pool) in that range are
    priced by the period's own price row: every rate zero, price_source_kind `capacity`
    (int_model_prices_prepared), so a call served by a pool costs nothing per token and a call
    on a pool outside every period it has a cost for stays unpriced, visibly. The price row's
    model is `capacity:<pool>` (capacity_price_model), its key `capacity_price_row_id`.
    period_month is the month the period pays for: its idle part is booked there.

    capacity_weighted_tokens is what the period can serve: the seed's figure, or, when it is
    blank, capacity_weighted_tokens_per_minute x the period's minutes (a deployment's rate).

    period_key names the period in keys: its start as a date when it starts at midnight (so a
    period of whole days keeps the key it had when periods were days), else the timestamp.
*/

with

-- capacity_weighted_tokens_per_minute came after the seed was public: a capacity_pools.csv
-- without it gives the capacity per period
pools as (
    select
        capacity_pool,
        provider,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from,
        cast(valid_to as {{ dbt.type_timestamp() }}) as valid_to,
        amount,
        currency,
        capacity_weighted_tokens,
        {{ seed_column_or_null('capacity_pools', 'capacity_weighted_tokens_per_minute', 'decimal(38, 2)') }},
        idle_owner_team_id,
        note
    from {{ ref('capacity_pools') }}
),

keyed as (
    select
        pools.*,
        case
            when pools.valid_from = cast(cast(pools.valid_from as date) as {{ dbt.type_timestamp() }})
                then cast(cast(pools.valid_from as date) as {{ dbt.type_string() }})
            else cast(pools.valid_from as {{ dbt.type_string() }})
        end as period_key
    from pools
),

final as (
    select
        {{ surrogate_key(["'capacity_pools'", 'capacity_pool', 'period_key']) }} as capacity_price_row_id,
        period_key,
        capacity_pool,
        provider,
        {{ dbt.concat(["'capacity:'", 'capacity_pool']) }} as capacity_price_model,
        valid_from,
        valid_to,
        valid_from as valid_from_at,
        valid_to as valid_to_at,
        cast({{ dbt.date_trunc('month', 'valid_from') }} as date) as period_month,
        cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'valid_from')) }} as date) as next_month,
        amount as pool_amount,
        currency as pool_currency,
        coalesce(
            capacity_weighted_tokens,
            capacity_weighted_tokens_per_minute * {{ dbt.datediff('valid_from', 'valid_to', 'minute') }}
        ) as capacity_weighted_tokens,
        capacity_weighted_tokens_per_minute,
        idle_owner_team_id,
        note
    from keyed
)

select * from final
