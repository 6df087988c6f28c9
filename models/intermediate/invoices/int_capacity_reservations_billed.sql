/*
    The capacity a provider bills on its invoice: provider x billing period, for the capacity
    pools of providers that bill by invoice (seed providers, bills_by_invoice: Azure PTU,
    Bedrock provisioned throughput, reserved capacity; your own GPUs bill by no invoice and are
    never here). DECISIONS.md, "Capacity pools".

    A pool period is billed in the billing period named like the month it pays for. Its amount
    is charged to the teams by int_capacity_costs_allocated, not per call, so the invoice's
    reservation lines (token_type capacity) are compared with it and the invoice true-up leaves
    it out. Amounts:
      - capacity_amount: the pools' amounts in the provider's invoice currency, at the rate of
        the billing period's first day (as the invoice is converted), exact;
      - capacity_amount_reporting, capacity_amount_usd: what int_capacity_costs_allocated
        allocated of them, each pool period rounded to the cent, so that the true-up and the
        ties subtract exactly what the teams were charged;
      - invoice_id: the invoice of the billing period, once it has landed (the FOCUS export's
        capacity charges cite it).
*/

with

allocations as (
    select * from {{ ref('int_capacity_costs_allocated') }}
),

-- bills_by_invoice came after the seed was public: a providers.csv without it bills by invoice
providers as (
    select
        provider,
        invoice_currency,
        {{ seed_column_or_null('providers', 'bills_by_invoice', 'boolean') }}
    from {{ ref('providers') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

pool_periods as (
    select
        capacity_pool,
        valid_from,
        provider,
        pool_period_month,
        max(pool_currency) as pool_currency,
        max(pool_amount) as pool_amount,
        sum(allocated_capacity_cost) as allocated_reporting,
        sum(allocated_capacity_cost_usd) as allocated_usd
    from allocations
    group by
        capacity_pool,
        valid_from,
        provider,
        pool_period_month
),

invoiced_periods as (
    select
        pool_periods.*,
        coalesce(providers.invoice_currency, 'USD') as invoice_currency,
        {{ fx_rate_or_one(
            'pool_periods.pool_currency', "coalesce(providers.invoice_currency, 'USD')", 'to_invoice_currency.rate'
        ) }} as fx_rate_to_invoice_currency
    from pool_periods
    inner join providers
        on pool_periods.provider = providers.provider
    {{ fx_rate_join(
        'to_invoice_currency',
        'pool_periods.pool_currency',
        'pool_periods.pool_period_month',
        "coalesce(providers.invoice_currency, 'USD')",
    ) }}
    where coalesce(providers.bills_by_invoice, true)
),

reservations_summed as (
    select
        provider,
        pool_period_month as billing_period_start,
        invoice_currency,
        count(*) as capacity_periods,
        sum({{ convert_currency('pool_amount', 'fx_rate_to_invoice_currency') }}) as capacity_amount,
        sum(allocated_reporting) as capacity_amount_reporting,
        sum(allocated_usd) as capacity_amount_usd,
        sum(case when fx_rate_to_invoice_currency is null then 1 else 0 end) as periods_without_rate
    from invoiced_periods
    group by
        provider,
        pool_period_month,
        invoice_currency
),

final as (
    select
        reservations_summed.*,
        invoices.invoice_id
    from reservations_summed
    left join invoices
        on reservations_summed.provider = invoices.provider
        and reservations_summed.billing_period_start = invoices.billing_period_start
)

select * from final
