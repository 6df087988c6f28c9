/*
    The FOCUS export's billed cost is what was invoiced, to the cent (FOCUS: the billed cost of
    a billing period is the invoices of that period), in the billing (reporting) currency:
      - per provider and billing period with an invoice (or the cost export standing in for
        it), the charges other than Tax add up to the invoice amount (tax excluded) converted
        at the invoice's rate and rounded to the cent, as the chargeback's tie
        (assert_chargeback_of_each_provider_month_equals_its_invoice) has it; the Tax charges
        add up to the invoice's tax, likewise;
      - a billing period without an invoice bills its token charges, the ledger's cost, and
        the capacity pools its provider bills (int_capacity_reservations_billed), as allocated;
      - per reporting month the shared platform costs add up to the month's pools, each
        rounded to the cent.
    Fails with the provider-periods and months that do not tie.
*/

with

focus as (
    select * from {{ ref('fct_focus_costs') }}
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

capacity as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

pools as (
    select
        period_month,
        cost_pool,
        max(pool_amount_reporting) as pool_amount_reporting
    from {{ ref('int_shared_costs_allocated') }}
    group by
        period_month,
        cost_pool
),

focus_by_provider as (
    select
        x_provider_id as provider,
        x_billing_month as billing_period_start,
        sum(case when charge_category != 'Tax' then billed_cost else 0 end) as billed_before_tax,
        sum(case when charge_category = 'Tax' then billed_cost else 0 end) as billed_tax
    from focus
    where x_provider_id is not null
    group by
        x_provider_id,
        x_billing_month
),

ledger_by_provider as (
    select
        provider,
        billing_period_start,
        coalesce(sum(cost_reporting), 0) as ledger_cost
    from ledger
    group by
        provider,
        billing_period_start
),

provider_periods as (
    select
        provider,
        billing_period_start
    from focus_by_provider
    union
    select
        provider,
        billing_period_start
    from invoices
    union
    select
        provider,
        billing_period_start
    from ledger_by_provider
    union
    select
        provider,
        billing_period_start
    from capacity
),

provider_failures as (
    select
        'provider' as tie,
        provider_periods.provider as issuer,
        provider_periods.billing_period_start as billing_month,
        -- one exact type for both cases: a coalesce of decimal(38,2) and decimal(38,20) may
        -- round the ledger to the cent
        coalesce(
            cast(round(invoices.invoice_amount_reporting, 2) as {{ type_billing_money() }}),
            cast(
                coalesce(ledger_by_provider.ledger_cost, 0) + coalesce(capacity.capacity_amount_reporting, 0)
                as {{ type_billing_money() }}
            )
        ) as expected_before_tax,
        coalesce(focus_by_provider.billed_before_tax, 0) as billed_before_tax,
        coalesce(round(invoices.tax_amount_reporting, 2), 0) as expected_tax,
        coalesce(focus_by_provider.billed_tax, 0) as billed_tax
    from provider_periods
    left join focus_by_provider
        on provider_periods.provider = focus_by_provider.provider
        and provider_periods.billing_period_start = focus_by_provider.billing_period_start
    left join invoices
        on provider_periods.provider = invoices.provider
        and provider_periods.billing_period_start = invoices.billing_period_start
    left join ledger_by_provider
        on provider_periods.provider = ledger_by_provider.provider
        and provider_periods.billing_period_start = ledger_by_provider.billing_period_start
    left join capacity
        on provider_periods.provider = capacity.provider
        and provider_periods.billing_period_start = capacity.billing_period_start
),

pool_months as (
    select
        period_month,
        sum(round(pool_amount_reporting, 2)) as pools_amount
    from pools
    group by period_month
),

focus_by_pool_month as (
    select
        x_billing_month as period_month,
        sum(billed_cost) as billed
    from focus
    where x_charge_kind = 'shared_cost'
    group by x_billing_month
),

platform_failures as (
    select
        'shared platform costs' as tie,
        'platform' as issuer,
        coalesce(pool_months.period_month, focus_by_pool_month.period_month) as billing_month,
        coalesce(pool_months.pools_amount, 0) as expected_before_tax,
        coalesce(focus_by_pool_month.billed, 0) as billed_before_tax,
        0 as expected_tax,
        0 as billed_tax
    from pool_months
    full outer join focus_by_pool_month
        on pool_months.period_month = focus_by_pool_month.period_month
)

select * from provider_failures
where billed_before_tax != expected_before_tax or billed_tax != expected_tax
union all
select * from platform_failures
where billed_before_tax != expected_before_tax
