-- Does each provider's invoice agree with the ledger, and where it does not, why?
-- Grain: billing period x provider (the provider's billing time zone), invoice currency; the
-- invoice, ledger, capacity pools and variance again in the reporting currency at the end.

with

reconciliation as (
    select * from {{ ref('fct_invoice_reconciliation') }}
),

final as (
    select
        billing_period_start as period_month,
        provider,
        invoice_id,
        invoice_currency,
        status,
        invoice_amount,
        ledger_amount,
        capacity_amount,
        variance,
        variance_pct,
        explained_discounts,
        explained_credits,
        explained_fees,
        explained_adjustments,
        explained_unpriced_usage,
        explained_price_difference,
        explained_volume_difference,
        explained_unlogged_spend,
        unexplained_amount,
        timezone_cutoff_amount,
        invoice_tax_amount,
        ledger_requests,
        unpriced_requests,
        main_reason,
        variance_explanation,
        reporting_currency,
        invoice_amount_reporting,
        ledger_amount_reporting,
        capacity_amount_reporting,
        variance_reporting
    from reconciliation
)

select * from final
order by
    period_month,
    provider
