/*
    A provider month without an invoice is billed by its cost export: the reconciliation's
    invoice_amount is the sum of the export's readable results of that month, exactly, lines
    of every form included (tools, storage, unrecognised line items, pages not grouped by line
    item); superseded days (an earlier pull of a day a later file holds) and unreadable
    amounts are left out by staging (record_issue) and counted nowhere. Fails with the months
    that differ, or a month of cost pages that no reconciliation row bills.
*/

with

cost_results as (
    select
        provider,
        billing_period_start,
        amount
    from {{ ref('stg_openai__costs') }}
    where record_issue is null and not is_empty_bucket
    union all
    select
        provider,
        billing_period_start,
        amount
    from {{ ref('stg_anthropic__costs') }}
    where record_issue is null and not is_empty_bucket
),

invoiced_months as (
    select distinct
        provider,
        billing_period_start
    from {{ ref('stg_invoices__invoice_lines') }}
    where record_issue is null
),

cost_months as (
    select
        cost_results.provider,
        cost_results.billing_period_start,
        sum(cost_results.amount) as invoice_amount
    from cost_results
    left join invoiced_months
        on cost_results.provider = invoiced_months.provider
        and cost_results.billing_period_start = invoiced_months.billing_period_start
    where invoiced_months.provider is null
    group by
        cost_results.provider,
        cost_results.billing_period_start
),

reconciliation as (
    select
        provider,
        billing_period_start,
        invoice_amount
    from {{ ref('fct_invoice_reconciliation') }}
    where source_system in ('openai_cost_export', 'anthropic_cost_export')
)

{{ totals_that_differ('cost_months', 'reconciliation', ['provider', 'billing_period_start'], ['invoice_amount']) }}
