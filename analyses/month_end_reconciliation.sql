-- Does each provider's invoice agree with the ledger, and where it does not, why?
-- Grain: billing period x provider (the provider's billing time zone), invoice currency; the
-- invoice, ledger, capacity pools and variance again in the reporting currency at the end.

with

reconciliation as (
    select * from {{ ref('fct_invoice_reconciliation') }}
),

billed_lines as (
    select * from {{ ref('int_billed_lines_unioned') }}
),

-- the invoice's own lines behind its discounts, credits, fees and adjustments, in its words:
-- "Promotional credit 4% (-7.54)"
lines_cited as (
    select
        provider,
        billing_period_start,
        {{ dbt.listagg(
            dbt.concat([
                "coalesce(line_description, charge_category)",
                "' ('",
                "cast(cast(amount as decimal(18, 2)) as " ~ dbt.type_string() ~ ")",
                "')'",
            ]),
            "'; '",
            'order by amount',
        ) }} as invoice_lines_cited
    from billed_lines
    where
        is_chosen_source
        and charge_category in ('discount', 'credit', 'fee', 'adjustment')
    group by
        provider,
        billing_period_start
),

final as (
    select
        reconciliation.billing_period_start as period_month,
        reconciliation.provider,
        reconciliation.invoice_id,
        reconciliation.invoice_currency,
        reconciliation.status,
        reconciliation.invoice_amount,
        reconciliation.ledger_amount,
        reconciliation.contract_discount_amount,
        reconciliation.capacity_amount,
        reconciliation.variance,
        reconciliation.variance_pct,
        reconciliation.explained_discounts,
        reconciliation.explained_credits,
        reconciliation.explained_fees,
        reconciliation.explained_adjustments,
        reconciliation.explained_unpriced_usage,
        reconciliation.explained_price_difference,
        reconciliation.explained_volume_difference,
        reconciliation.explained_unlogged_spend,
        reconciliation.unexplained_amount,
        reconciliation.timezone_cutoff_amount,
        reconciliation.invoice_tax_amount,
        reconciliation.ledger_requests,
        reconciliation.unpriced_requests,
        reconciliation.main_reason,
        reconciliation.variance_explanation,
        lines_cited.invoice_lines_cited,
        reconciliation.reporting_currency,
        reconciliation.invoice_amount_reporting,
        reconciliation.ledger_amount_reporting,
        reconciliation.capacity_amount_reporting,
        reconciliation.variance_reporting
    from reconciliation
    left join lines_cited
        on reconciliation.provider = lines_cited.provider
        and reconciliation.billing_period_start = lines_cited.billing_period_start
)

select * from final
order by
    period_month,
    provider
