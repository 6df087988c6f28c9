/*
    The chargeback of a provider's billing period is its invoice (tax excluded), to the cent:
    the ledger rows of that period, rounded, plus their allocated true-up, equal the invoice
    amount rounded to the cent, in the reporting currency and in USD; and the chargeback
    carries exactly the true-ups allocated. Fails with the provider-months that do not tie.
*/

with

allocated as (
    select
        provider,
        billing_period_start,
        max(invoice_amount_reporting) as invoice_amount_reporting,
        max(invoice_amount_usd) as invoice_amount_usd,
        sum(allocated_ledger_cost + allocated_invoice_true_up) as charged,
        sum(allocated_ledger_cost_usd + allocated_invoice_true_up_usd) as charged_usd,
        sum(allocated_invoice_true_up) as true_up
    from {{ ref('int_invoice_true_up_allocated') }}
    group by
        provider,
        billing_period_start
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

provider_failures as (
    select
        invoices.provider,
        invoices.billing_period_start,
        round(invoices.invoice_amount_reporting, 2) as invoice_amount,
        allocated.charged
    from invoices
    left join allocated
        on invoices.provider = allocated.provider
        and invoices.billing_period_start = allocated.billing_period_start
    where
        allocated.charged is null
        or allocated.charged <> round(invoices.invoice_amount_reporting, 2)
        or allocated.charged_usd <> round(invoices.invoice_amount_usd, 2)
),

true_up_totals as (
    select
        'all' as provider,
        cast(null as date) as billing_period_start,
        (select sum(true_up) from allocated) as invoice_amount,
        (select sum(invoice_true_up) from {{ ref('fct_team_chargeback') }}) as charged
)

select * from provider_failures
union all
select * from true_up_totals
where coalesce(invoice_amount, 0) <> coalesce(charged, 0)
