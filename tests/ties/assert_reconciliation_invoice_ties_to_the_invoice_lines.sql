/*
    The invoice side of the reconciliation is what the invoices say: per provider and billing
    period, invoice_amount is the sum of the landed invoice lines other than tax, and
    invoice_tax_amount the tax lines, exactly (quarantined lines, which
    assert_invoice_lines_tie_to_landed_lines accounts for, excepted). Fails with the billing
    periods that differ.
*/

with

invoice_lines as (
    select
        provider,
        billing_period_start,
        sum(case when charge_category != 'tax' then amount else 0 end) as amount_before_tax,
        sum(case when charge_category = 'tax' then amount else 0 end) as tax_amount
    from {{ ref('stg_invoices__invoice_lines') }}
    where record_issue is null
    group by
        provider,
        billing_period_start
),

reconciliation as (
    select
        provider,
        billing_period_start,
        invoice_amount as amount_before_tax,
        invoice_tax_amount as tax_amount
    from {{ ref('fct_invoice_reconciliation') }}
    where source_system = 'invoice'
)

{{ totals_that_differ('invoice_lines', 'reconciliation', ['provider', 'billing_period_start'], ['amount_before_tax', 'tax_amount']) }}
