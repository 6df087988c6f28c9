/*
    The periods of each capacity pool (seed capacity_pools) ready for pricing and allocation.

    A pool's period [valid_from, valid_to) is a range of UTC days inside one month; the calls
    of the deployments that name the pool (model_deployments.capacity_pool) in that range are
    priced by the period's own price row: every rate zero, price_source_kind `capacity`
    (int_model_prices_prepared), so a call served by a pool costs nothing per token and a call
    on a pool outside every period it has a cost for stays unpriced, visibly. The price row's
    model is `capacity:<pool>` (capacity_price_model), its key `capacity_price_row_id`.
    period_month is the month the period pays for: its idle part is booked there.
*/

with

pools as (
    select * from {{ ref('capacity_pools') }}
),

final as (
    select
        {{ surrogate_key(["'capacity_pools'", 'capacity_pool', 'valid_from']) }} as capacity_price_row_id,
        capacity_pool,
        provider,
        {{ dbt.concat(["'capacity:'", 'capacity_pool']) }} as capacity_price_model,
        valid_from,
        valid_to,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        cast(valid_to as {{ dbt.type_timestamp() }}) as valid_to_at,
        cast({{ dbt.date_trunc('month', 'valid_from') }} as date) as period_month,
        cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'valid_from')) }} as date) as next_month,
        amount as pool_amount,
        currency as pool_currency,
        capacity_weighted_tokens,
        idle_owner_team_id,
        note
    from pools
)

select * from final
