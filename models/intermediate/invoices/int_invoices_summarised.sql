/*
    Each provider's bill for a billing period, one row, every charge category its own column.

    invoice_amount is what the ledger must explain: usage + discounts + credits + fees +
    adjustments; tax is kept apart (docs/accounting-rules.md#invoice-true-up). Amounts are in the invoice currency and
    converted to USD and the reporting currency at the rate of the billing period's first day
    (the monthly rate; DECISIONS.md, "Invoice FX").

    Lines come from int_billed_lines_unioned, where other provider-side sources (cost exports)
    union in. The invoice is the financial truth: when a provider's billing period has invoice
    lines, only they count; a provider-reported source stands in only for a period without an
    invoice (source_system says which).
*/

-- A table, not a view: five models read it (reconciliation, true-up and FOCUS), and as a view
-- each of them summed the invoice lines again (DECISIONS.md, "Performance").
{{ config(materialized='table') }}

{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

billed_lines as (
    select * from {{ ref('int_billed_lines_unioned') }}
),

invoice_lines as (
    select * from billed_lines
    where is_chosen_source
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

summed as (
    select
        provider,
        billing_period_start,
        max(billing_period_end) as billing_period_end,
        max(currency) as invoice_currency,
        count(distinct currency) as currencies,
        max(source_system) as source_system,
        min(document_id) as invoice_id,
        count(distinct document_id) as invoices,
        count(*) as invoice_lines,
        sum(case when charge_category = 'usage' then amount else 0 end) as usage_amount,
        sum(case when charge_category = 'usage' and model_canonical is null then amount else 0 end)
            as usage_without_detail_amount,
        sum(case when charge_category = 'discount' then amount else 0 end) as discount_amount,
        sum(case when charge_category = 'credit' then amount else 0 end) as credit_amount,
        sum(case when charge_category = 'fee' then amount else 0 end) as fee_amount,
        sum(case when charge_category = 'adjustment' then amount else 0 end) as adjustment_amount,
        sum(case when charge_category = 'tax' then amount else 0 end) as tax_amount
    from invoice_lines
    group by
        provider,
        billing_period_start
),

converted as (
    select
        summed.*,
        summed.usage_amount
        + summed.discount_amount
        + summed.credit_amount
        + summed.fee_amount
        + summed.adjustment_amount as invoice_amount,
        {{ fx_rate_or_one('summed.invoice_currency', "'" ~ reporting_currency ~ "'", 'to_reporting.rate') }} as fx_rate,
        {{ fx_rate_or_one('summed.invoice_currency', "'USD'", 'to_usd.rate') }} as fx_rate_to_usd
    from summed
    {{ fx_rate_join('to_reporting', 'summed.invoice_currency', 'summed.billing_period_start', "'" ~ reporting_currency ~ "'") }}
    {{ fx_rate_join('to_usd', 'summed.invoice_currency', 'summed.billing_period_start', "'USD'") }}
),

final as (
    select
        *,
        {{ convert_currency('invoice_amount', 'fx_rate') }} as invoice_amount_reporting,
        {{ convert_currency('invoice_amount', 'fx_rate_to_usd') }} as invoice_amount_usd,
        {{ convert_currency('tax_amount', 'fx_rate') }} as tax_amount_reporting,
        '{{ reporting_currency }}' as reporting_currency
    from converted
)

select * from final
