/*
    Each provider's bill against the ledger: billing period x provider, in the invoice currency
    (docs/accounting-rules.md#invoice-reconciliation).

    The ledger side covers the provider's billing period in its billing time zone, not the
    reporting month, so that a request is compared with the invoice that billed it. Beside it,
    capacity_amount is what the capacity pools of a provider that bills them charge for the
    period (int_capacity_reservations_billed: Azure PTU, Bedrock provisioned throughput; the
    calls they served cost nothing per token in the ledger; DECISIONS.md, "Capacity pools").
    The variance invoice_amount - ledger_amount - capacity_amount (tax excluded on the invoice
    side) is split into parts that add up to it exactly:
        explained_discounts, explained_credits, explained_fees, explained_adjustments
            the invoice's own lines the ledger does not carry; the ledger is at contracted
            cost (contract_prices), so the part of the invoice's discounts the ledger's
            contract already took off (contract_discount_amount) is not explained twice:
            explained_discounts = invoice discounts + contract_discount_amount;
        explained_unpriced_usage, explained_price_difference, explained_volume_difference
            the sums of int_invoice_lines_compared's parts over the period's lines, but
            for the lines of unlogged spend (next); the reservation lines against the pools
            are one of them (a reservation billed at another amount than its pools: a price
            difference; pools the invoice does not bill: a volume difference);
        explained_unlogged_spend
            spend without logged calls (int_unlogged_lines_identified): the usage lines of a
            billing period without any logged call of the provider, and the usage lines of
            models with no logged call in it. The chargeback books it to UNALLOCATED
            (int_invoice_true_up_allocated; DECISIONS.md, "Spend without logged calls");
        unexplained_amount
            the rest: usage lines without model detail (but the tool calls and request fees an
            invoice bills without a model, which the line reconciliation compares for the whole
            provider), and line rounding.
    The time-zone cut-off is shown beside them: timezone_cutoff_amount is what a reporting-month
    view of the same provider (period_month = billing_period_start) would have moved across the
    month boundary, so that reporting_month_variance = variance + timezone_cutoff_amount is the
    variance that view would have shown.

    Status: not_invoiced for a provider that does not bill by invoice (seed providers,
    bills_by_invoice false: your own GPUs, an internal model: nothing to reconcile, nothing to
    wait for); awaiting_invoice without an invoice; matched when |variance_pct| <=
    chargeback__reconciliation_matched_pct; within_tolerance when under
    chargeback__max_reconciliation_variance_pct; investigate otherwise.

    The _reporting and _usd twins of the invoice amount use the invoice's rates (the billing
    period's first day); those of the ledger are the ledger's own converted costs, so that
    variance_reporting is exactly what the chargeback's invoice true-up spreads over owners
    (capacity_amount_reporting is what the pools allocated).
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}
{%- set matched_pct = var('chargeback__reconciliation_matched_pct') %}
{%- set tolerance_pct = var('chargeback__max_reconciliation_variance_pct') %}

with

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

ledger_lines as (
    select * from {{ ref('int_ledger_lines_summarised') }}
),

line_reconciliation as (
    select * from {{ ref('int_invoice_lines_compared') }}
),

-- bills_by_invoice came after the seed was public: a providers.csv without it bills by invoice
providers as (
    select
        provider,
        billing_timezone,
        {{ seed_column_or_null('providers', 'bills_by_invoice', 'boolean') }}
    from {{ ref('providers') }}
),

unlogged_lines as (
    select * from {{ ref('int_unlogged_lines_identified') }}
),

capacity_reservations as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

-- Billing periods with any logged call of the provider (gateway cache hits included), as the
-- true-up counts its owners: without one, the whole invoice is spend without logged calls.
{{ logged_billing_periods(ref('int_ledger_days_summarised')) }},

unlogged_line_keys as (
    select distinct
        provider,
        billing_period_start,
        model_canonical,
        token_type
    from unlogged_lines
    where
        model_canonical is not null
        or token_type in ('web_search', 'file_search', 'code_execution', 'request')
),

unlogged_models as (
    select distinct
        provider,
        billing_period_start,
        model_canonical
    from unlogged_lines
    where unlogged_reason = 'unlogged_model'
),

unlogged_models_named as (
    select
        provider,
        billing_period_start,
        {{ dbt.listagg('model_canonical', "', '", 'order by model_canonical') }} as unlogged_models
    from unlogged_models
    group by
        provider,
        billing_period_start
),

unlogged_by_period as (
    select
        provider,
        billing_period_start,
        sum(amount) as unlogged_amount
    from unlogged_lines
    group by
        provider,
        billing_period_start
),

ledger_by_billing_period as (
    select
        provider,
        billing_period_start,
        max(invoice_currency) as ledger_currency,
        sum(requests) as ledger_requests,
        sum(unpriced_requests) as unpriced_requests,
        sum(case when quantity_unit = 'tokens' then ledger_quantity else 0 end) as ledger_tokens,
        sum(case when quantity_unit = 'tokens' then unpriced_quantity else 0 end) as unpriced_tokens,
        sum(ledger_amount - contract_discount_amount) as ledger_amount,
        sum(contract_discount_amount) as contract_discount_amount,
        sum(ledger_cost_usd) as ledger_amount_usd,
        sum(ledger_cost_reporting) as ledger_amount_reporting,
        sum(groups_without_rate) as groups_without_rate
    from ledger_lines
    group by
        provider,
        billing_period_start
),

ledger_by_reporting_month as (
    select
        provider,
        period_month,
        sum(ledger_amount - contract_discount_amount) as reporting_month_ledger_amount
    from ledger_lines
    group by
        provider,
        period_month
),

-- The lines of unlogged spend are explained by it as a whole, not as a volume difference.
line_parts_summed as (
    select
        line_reconciliation.provider,
        line_reconciliation.billing_period_start,
        count(*) as reconciled_lines,
        sum(line_reconciliation.explained_unpriced_usage) as explained_unpriced_usage,
        sum(line_reconciliation.explained_price_difference) as explained_price_difference,
        sum(
            case
                when unlogged_line_keys.provider is null then line_reconciliation.explained_volume_difference
                else 0
            end
        ) as explained_volume_difference
    from line_reconciliation
    left join unlogged_line_keys
        on line_reconciliation.provider = unlogged_line_keys.provider
        and line_reconciliation.billing_period_start = unlogged_line_keys.billing_period_start
        and coalesce(line_reconciliation.model, '(all models)') = coalesce(unlogged_line_keys.model_canonical, '(all models)')
        and line_reconciliation.token_type = unlogged_line_keys.token_type
    group by
        line_reconciliation.provider,
        line_reconciliation.billing_period_start
),

periods as (
    select
        provider,
        billing_period_start
    from invoices
    union
    select
        provider,
        billing_period_start
    from ledger_by_billing_period
),

sides_joined as (
    select
        periods.provider,
        periods.billing_period_start,
        coalesce(
            invoices.billing_period_end,
            cast({{ dbt.dateadd('month', 1, 'periods.billing_period_start') }} as date)
        ) as billing_period_end,
        coalesce(providers.billing_timezone, 'UTC') as billing_timezone,
        coalesce(providers.bills_by_invoice, true) as bills_by_invoice,
        invoices.invoice_id,
        invoices.source_system,
        coalesce(invoices.invoice_currency, ledger.ledger_currency) as invoice_currency,
        ledger.ledger_currency,
        invoices.invoice_id is not null as has_invoice,
        invoices.usage_amount as invoice_usage_amount,
        invoices.usage_without_detail_amount as invoice_usage_without_detail_amount,
        invoices.discount_amount as invoice_discount_amount,
        invoices.credit_amount as invoice_credit_amount,
        invoices.fee_amount as invoice_fee_amount,
        invoices.adjustment_amount as invoice_adjustment_amount,
        invoices.tax_amount as invoice_tax_amount,
        invoices.invoice_amount,
        invoices.invoice_amount_usd,
        invoices.invoice_amount_reporting,
        invoices.fx_rate as invoice_fx_rate,
        coalesce(ledger.ledger_requests, 0) as ledger_requests,
        coalesce(ledger.unpriced_requests, 0) as unpriced_requests,
        coalesce(ledger.ledger_tokens, 0) as ledger_tokens,
        coalesce(ledger.unpriced_tokens, 0) as unpriced_tokens,
        coalesce(ledger.ledger_amount, 0) as ledger_amount,
        coalesce(ledger.contract_discount_amount, 0) as contract_discount_amount,
        coalesce(ledger.ledger_amount_usd, 0) as ledger_amount_usd,
        coalesce(ledger.ledger_amount_reporting, 0) as ledger_amount_reporting,
        coalesce(ledger.groups_without_rate, 0) as ledger_groups_without_rate,
        coalesce(by_month.reporting_month_ledger_amount, 0) as reporting_month_ledger_amount,
        coalesce(capacity.capacity_amount, 0) as capacity_amount,
        -- whole cents: each pool period's allocation is
        cast(coalesce(capacity.capacity_amount_reporting, 0) as decimal(38, 2)) as capacity_amount_reporting,
        cast(coalesce(capacity.capacity_amount_usd, 0) as decimal(38, 2)) as capacity_amount_usd,
        coalesce(line_parts.reconciled_lines, 0) as reconciled_lines,
        line_parts.explained_unpriced_usage,
        line_parts.explained_price_difference,
        line_parts.explained_volume_difference,
        coalesce(unlogged.unlogged_amount, 0) as unlogged_amount,
        unlogged_named.unlogged_models,
        logged_periods.provider is null as has_no_logged_calls
    from periods
    left join invoices
        on periods.provider = invoices.provider
        and periods.billing_period_start = invoices.billing_period_start
    left join ledger_by_billing_period as ledger
        on periods.provider = ledger.provider
        and periods.billing_period_start = ledger.billing_period_start
    left join ledger_by_reporting_month as by_month
        on periods.provider = by_month.provider
        and periods.billing_period_start = by_month.period_month
    left join line_parts_summed as line_parts
        on periods.provider = line_parts.provider
        and periods.billing_period_start = line_parts.billing_period_start
    left join providers
        on periods.provider = providers.provider
    left join unlogged_by_period as unlogged
        on periods.provider = unlogged.provider
        and periods.billing_period_start = unlogged.billing_period_start
    left join unlogged_models_named as unlogged_named
        on periods.provider = unlogged_named.provider
        and periods.billing_period_start = unlogged_named.billing_period_start
    left join logged_periods
        on periods.provider = logged_periods.provider
        and periods.billing_period_start = logged_periods.billing_period_start
    left join capacity_reservations as capacity
        on periods.provider = capacity.provider
        and periods.billing_period_start = capacity.billing_period_start
),

variance_split as (
    select
        *,
        invoice_amount - ledger_amount - capacity_amount as variance,
        100 * cast(invoice_amount - ledger_amount - capacity_amount as {{ type_share() }}) / nullif(invoice_amount, 0)
            as variance_pct,
        invoice_amount_reporting - ledger_amount_reporting - capacity_amount_reporting as variance_reporting,
        invoice_amount_usd - ledger_amount_usd - capacity_amount_usd as variance_usd,
        ledger_amount - reporting_month_ledger_amount as timezone_cutoff_amount,
        invoice_discount_amount + contract_discount_amount as explained_discounts,
        invoice_credit_amount as explained_credits,
        invoice_fee_amount as explained_fees,
        invoice_adjustment_amount as explained_adjustments,
        case when has_invoice then unlogged_amount end as explained_unlogged_spend,
        case
            when has_invoice
                then
                    invoice_amount
                    - ledger_amount
                    - capacity_amount
                    - invoice_discount_amount
                    - contract_discount_amount
                    - invoice_credit_amount
                    - invoice_fee_amount
                    - invoice_adjustment_amount
                    - coalesce(explained_unpriced_usage, 0)
                    - coalesce(explained_price_difference, 0)
                    - coalesce(explained_volume_difference, 0)
                    - unlogged_amount
        end as unexplained_amount
    from sides_joined
),

status_assigned as (
    select
        *,
        invoice_amount - reporting_month_ledger_amount - capacity_amount as reporting_month_variance,
        case
            when not has_invoice and not bills_by_invoice then 'not_invoiced'
            when not has_invoice then 'awaiting_invoice'
            when variance = 0 then 'matched'
            when variance_pct is null then 'investigate'
            when abs(variance_pct) <= {{ matched_pct }} then 'matched'
            when abs(variance_pct) < {{ tolerance_pct }} then 'within_tolerance'
            else 'investigate'
        end as status
    from variance_split
),

main_reason_named as (
    -- The part with the largest absolute amount names the main reason, ties in the listed order.
    select
        *,
        case
            when not has_invoice and not bills_by_invoice then 'not billed by invoice'
            when not has_invoice then 'no invoice yet'
            when variance = 0 then 'none'
            {%- set parts = [
                ('explained_discounts', 'discounts'),
                ('explained_credits', 'credits'),
                ('explained_fees', 'fees'),
                ('explained_adjustments', 'adjustments'),
                ('explained_unpriced_usage', 'unpriced usage'),
                ('explained_price_difference', 'price difference'),
                ('explained_volume_difference', 'token volume difference'),
                ('explained_unlogged_spend', 'spend without logged calls'),
                ('unexplained_amount', 'unexplained'),
            ] %}
            {%- for column, label in parts %}
                {%- set others = parts | rejectattr(0, 'equalto', column) | map(attribute=0) | list %}
                {%- set conditions = [] %}
                {%- for other in others %}
                    {%- do conditions.append('abs(coalesce(' ~ column ~ ', 0)) >= abs(coalesce(' ~ other ~ ', 0))') %}
                {%- endfor %}
                when {{ conditions | join(' and ') }} then '{{ label }}'
            {%- endfor %}
        end as main_reason,
        {{ dbt.concat([
            "case when not has_invoice and not bills_by_invoice then 'The provider does not bill by"
            ~ " invoice (seed providers): nothing to reconcile.' when not has_invoice then 'No invoice"
            ~ " yet for this billing period.' else '' end",
            "case when has_invoice and has_no_logged_calls then 'No logged calls in this billing period: the invoice is"
            ~ " spend without logged calls, charged to UNALLOCATED. ' else '' end",
            "case when has_invoice then 'Invoice ' else '' end",
            "case when has_invoice then " ~ money_text('invoice_amount') ~ " else '' end",
            "case when has_invoice then ' vs ledger ' else '' end",
            "case when has_invoice then " ~ money_text('ledger_amount') ~ " else '' end",
            "case when has_invoice and capacity_amount != 0 then " ~ dbt.concat([
                "' + capacity pools '", money_text('capacity_amount'),
            ]) ~ " else '' end",
            "case when has_invoice then ': ' else '' end",
            "case when has_invoice then coalesce(nullif(concat_ws('; ', "
            ~ part_text('explained_discounts', 'discounts') ~ ", "
            ~ part_text('explained_credits', 'credits') ~ ", "
            ~ part_text('explained_fees', 'fees') ~ ", "
            ~ part_text('explained_adjustments', 'adjustments') ~ ", "
            ~ part_text('explained_unpriced_usage', 'unpriced usage') ~ ", "
            ~ part_text('explained_price_difference', 'price difference') ~ ", "
            ~ part_text('explained_volume_difference', 'token volume') ~ ", "
            ~ "case when cast(coalesce(explained_unlogged_spend, 0) as decimal(38, 2)) != 0 then "
            ~ dbt.concat([
                "'spend without logged calls '",
                money_text('explained_unlogged_spend'),
                "case when unlogged_models is not null then " ~ dbt.concat(["' ('", 'unlogged_models', "' never logged)'"])
                ~ " else '' end",
            ]) ~ " end, "
            ~ part_text('unexplained_amount', 'unexplained')
            ~ "), ''), 'no difference to the cent') else '' end",
        ]) }} as variance_explanation
    from status_assigned
),

final as (
    select
        {{ surrogate_key(['provider', 'billing_period_start']) }} as reconciliation_id,
        billing_period_start,
        billing_period_end,
        provider,
        billing_timezone,
        invoice_id,
        source_system,
        invoice_currency,
        ledger_currency,
        has_invoice,
        status,
        ----------  the invoice, as billed (invoice currency)
        invoice_usage_amount,
        invoice_usage_without_detail_amount,
        invoice_discount_amount,
        invoice_credit_amount,
        invoice_fee_amount,
        invoice_adjustment_amount,
        invoice_tax_amount,
        invoice_amount,
        ----------  the ledger over the same billing period (invoice currency)
        ledger_requests,
        unpriced_requests,
        ledger_tokens,
        unpriced_tokens,
        ledger_amount,
        contract_discount_amount,
        ledger_groups_without_rate,
        ----------  the variance and its parts (they add up to it exactly)
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
        main_reason,
        variance_explanation,
        ----------  the time-zone cut-off, beside the variance
        reporting_month_ledger_amount,
        timezone_cutoff_amount,
        reporting_month_variance,
        reconciled_lines,
        ----------  twins
        invoice_fx_rate,
        invoice_amount_reporting,
        ledger_amount_reporting,
        variance_reporting,
        invoice_amount_usd,
        ledger_amount_usd,
        variance_usd,
        '{{ reporting_currency }}' as reporting_currency,
        ----------  appended: the capacity pools the provider bills (DECISIONS.md, "Capacity pools")
        capacity_amount,
        capacity_amount_reporting,
        capacity_amount_usd
    from main_reason_named
)

select * from final
