/*
    How much of the capacity bought was used: one row per capacity pool period (seed
    capacity_pools), what it cost, what it could serve and what it served, and its cost split
    into the used part (charged to the calls' owners) and the idle part (charged to the pool's
    owner, or shared by its users), as int_capacity_costs_allocated allocated them
    (DECISIONS.md, "Capacity pools"; docs/accounting-rules.md#capacity-pools).

    used_share = min(1, weighted_tokens_served / capacity_weighted_tokens); used_cost +
    idle_cost = the period's amount in the reporting currency, to the cent (and in USD). A
    pool its provider bills on an invoice (Azure PTU, Bedrock provisioned throughput) names
    the invoice once it has landed (int_capacity_reservations_billed).
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

periods as (
    select * from {{ ref('int_capacity_pools_prepared') }}
),

allocations as (
    select * from {{ ref('int_capacity_costs_allocated') }}
),

reservations as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

-- each period's allocations: the used and the idle part (an owner's used and idle rows are
-- two rows, its calls counted on the used one)
allocations_summed as (
    select
        capacity_pool,
        valid_from,
        sum(case when capacity_charge = 'used' then served_requests else 0 end) as served_requests,
        max(weighted_tokens_served) as weighted_tokens_served,
        max(used_share) as used_share,
        sum(case when capacity_charge = 'used' then allocated_capacity_cost else 0 end) as used_cost,
        sum(case when capacity_charge = 'idle' then allocated_capacity_cost else 0 end) as idle_cost,
        sum(case when capacity_charge = 'used' then allocated_capacity_cost_usd else 0 end) as used_cost_usd,
        sum(case when capacity_charge = 'idle' then allocated_capacity_cost_usd else 0 end) as idle_cost_usd
    from allocations
    group by
        capacity_pool,
        valid_from
),

final as (
    select
        periods.capacity_pool,
        periods.valid_from,
        periods.valid_to,
        periods.period_month,
        periods.provider,
        reservations.provider is not null as is_billed_on_invoice,
        reservations.invoice_id,
        periods.pool_currency,
        periods.pool_amount,
        periods.capacity_weighted_tokens,
        coalesce(allocations_summed.weighted_tokens_served, 0) as weighted_tokens_served,
        cast(coalesce(allocations_summed.served_requests, 0) as {{ dbt.type_bigint() }}) as served_requests,
        coalesce(allocations_summed.used_share, 0) as used_share,
        periods.idle_owner_team_id,
        cast(allocations_summed.used_cost as decimal(38, 2)) as used_cost,
        cast(allocations_summed.idle_cost as decimal(38, 2)) as idle_cost,
        cast(allocations_summed.used_cost_usd as decimal(38, 2)) as used_cost_usd,
        cast(allocations_summed.idle_cost_usd as decimal(38, 2)) as idle_cost_usd,
        '{{ reporting_currency }}' as reporting_currency
    from periods
    left join allocations_summed
        on periods.capacity_pool = allocations_summed.capacity_pool
        and periods.valid_from = allocations_summed.valid_from
    left join reservations
        on periods.provider = reservations.provider
        and periods.period_month = reservations.billing_period_start
)

select * from final
