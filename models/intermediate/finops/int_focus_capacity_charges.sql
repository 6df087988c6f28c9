/*
    The capacity pools' allocations as the FOCUS export dates and issues them (DECISIONS.md,
    "Capacity pools", "FOCUS export").

    Grain: one row per row of int_capacity_costs_allocated (pool period x reporting month x
    owner x used or idle). A pool of a provider that bills it on its invoice
    (int_capacity_reservations_billed: Azure PTU, Bedrock provisioned throughput) is the
    provider's charge: billed in the provider's billing period named like the month the pool
    pays for (its bounds from int_billing_periods, in the provider's billing time zone), the
    charge period that billing period, citing the invoice once it has landed. A pool of your
    own GPUs is the platform's: billed and charged in the reporting month of the row.
*/

with

allocations as (
    select * from {{ ref('int_capacity_costs_allocated') }}
),

capacity_reservations as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

billing_periods as (
    select * from {{ ref('int_billing_periods') }}
),

-- the billing period a provider bills the pool in: the month it pays for
allocations_billed as (
    select
        allocations.*,
        allocations.pool_period_month as billing_period_start,
        capacity_reservations.provider is not null as is_billed_by_provider,
        capacity_reservations.invoice_id
    from allocations
    left join capacity_reservations
        on allocations.provider = capacity_reservations.provider
        and allocations.pool_period_month = capacity_reservations.billing_period_start
),

periods_bounded as (
    select
        allocations_billed.*,
        {{ reporting_month_bounds('allocations_billed.period_month') }},
        {{ billing_period_bounds('allocations_billed') }}
    from allocations_billed
    left join billing_periods
        on allocations_billed.provider = billing_periods.provider
        and allocations_billed.billing_period_start = billing_periods.billing_period_start
),

final as (
    select
        *,
        case when is_billed_by_provider then pool_period_month else period_month end as billing_month,
        case when is_billed_by_provider then billing_period_starts_at else period_month_starts_at end
            as charge_billing_period_start,
        case when is_billed_by_provider then billing_period_ends_at else period_month_ends_at end
            as charge_billing_period_end
    from periods_bounded
)

select * from final
