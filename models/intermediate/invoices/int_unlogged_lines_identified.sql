/*
    The billed usage that no logged call explains (DECISIONS.md, "Spend without logged calls").

    For each provider and billing period, the lines of the source that speaks for it
    (int_billed_lines_unioned.is_chosen_source: the invoice, else a provider cost export
    standing in for it), usage lines only:
      - no_logged_calls: the ledger has no call of the provider in the billing period at all:
        every usage line, with or without a model;
      - unlogged_model: the ledger has calls of the provider in the billing period, but none of
        the line's model (the model the provider bills them under, macro billed_model: a
        fine-tune's calls are its own model's, not their base model's). Models are compared without provider prefix, cross-region prefix and
        version suffix (macro strip_model_id) on both sides, so that one model resolved to two
        spellings (a Bedrock id with and without its ':0') is not taken for an unlogged one.
        A usage line without a model stays with the logged calls (it cannot be told apart).
    Discounts, credits, fees and adjustments are not usage and are never listed here: they
    follow the invoice true-up (int_invoice_true_up_allocated). Nor are the reservation lines
    (token_type capacity) of a billing period whose provider bills capacity pools
    (int_capacity_reservations_billed): the pools charge them, whoever's calls they served
    (DECISIONS.md, "Capacity pools").

    Amounts: the line in the invoice currency, converted to the reporting currency and USD at
    the invoice's rates (the billing period's first day, as int_invoices_summarised), and
    rounded to the cent with the largest-remainder method within the provider and billing
    period (allocated_amount, allocated_amount_usd), so that the lines add up to the period's
    unlogged spend rounded to the cent.
*/

{%- set partition = ['provider', 'billing_period_start'] %}

with

billed_lines as (
    select * from {{ ref('int_billed_lines_unioned') }}
    where
        is_chosen_source
        and charge_category = 'usage'
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

capacity_reservations as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

prices as (
    select * from {{ ref('int_model_prices_prepared') }}
),

-- Billing periods with any logged call of the provider (macro logged_billing_periods).
{{ logged_billing_periods('ledger') }},

-- the models the provider bills the logged calls under (macro billed_model)
logged_models as (
    select distinct
        ledger.provider,
        ledger.billing_period_start,
        {{ strip_model_id('lower(' ~ billed_model('prices', 'ledger') ~ ')') }} as model_key
    from ledger
    left join prices
        on ledger.price_row_id = prices.price_row_id
),

lines_classified as (
    select
        billed_lines.billed_line_id,
        billed_lines.provider,
        billed_lines.billing_period_start,
        billed_lines.document_id as invoice_id,
        billed_lines.source_system,
        billed_lines.line_id,
        billed_lines.line_description,
        billed_lines.model_canonical,
        billed_lines.token_type,
        billed_lines.quantity,
        billed_lines.unit,
        billed_lines.amount,
        billed_lines.currency,
        case
            when billed_lines.token_type = 'capacity' and capacity_reservations.provider is not null then null
            when logged_periods.provider is null then 'no_logged_calls'
            when billed_lines.model_canonical is not null and logged_models.model_key is null then 'unlogged_model'
        end as unlogged_reason
    from billed_lines
    left join logged_periods
        on billed_lines.provider = logged_periods.provider
        and billed_lines.billing_period_start = logged_periods.billing_period_start
    left join logged_models
        on billed_lines.provider = logged_models.provider
        and billed_lines.billing_period_start = logged_models.billing_period_start
        and {{ strip_model_id('lower(billed_lines.model_canonical)') }} = logged_models.model_key
    left join capacity_reservations
        on billed_lines.provider = capacity_reservations.provider
        and billed_lines.billing_period_start = capacity_reservations.billing_period_start
),

converted as (
    select
        lines_classified.*,
        invoices.fx_rate,
        invoices.fx_rate_to_usd,
        {{ convert_currency('lines_classified.amount', 'invoices.fx_rate') }} as amount_reporting,
        {{ convert_currency('lines_classified.amount', 'invoices.fx_rate_to_usd') }} as amount_usd
    from lines_classified
    inner join invoices
        on lines_classified.provider = invoices.provider
        and lines_classified.billing_period_start = invoices.billing_period_start
    where lines_classified.unlogged_reason is not null
),

period_totals as (
    select
        converted.*,
        sum(converted.amount_reporting) over (
            partition by converted.provider, converted.billing_period_start
        ) as period_amount_reporting,
        sum(converted.amount_usd) over (
            partition by converted.provider, converted.billing_period_start
        ) as period_amount_usd
    from converted
),

rounded as (
    select
        period_totals.*,
        {{ largest_remainder_cents(
            'period_totals.amount_reporting', 'period_totals.period_amount_reporting', partition, ['period_totals.billed_line_id']
        ) }} as allocated_cents,
        {{ largest_remainder_cents(
            'period_totals.amount_usd', 'period_totals.period_amount_usd', partition, ['period_totals.billed_line_id']
        ) }} as allocated_cents_usd
    from period_totals
),

final as (
    select
        billed_line_id,
        provider,
        billing_period_start,
        invoice_id,
        source_system,
        line_id,
        line_description,
        model_canonical,
        token_type,
        quantity,
        unit,
        amount,
        currency,
        unlogged_reason,
        fx_rate,
        fx_rate_to_usd,
        amount_reporting,
        amount_usd,
        cast(allocated_cents as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_amount,
        cast(allocated_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_amount_usd
    from rounded
)

select * from final
