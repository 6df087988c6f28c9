/*
    The ledger as a provider would bill it: provider x billing period x reporting month x model
    x token type, in the invoice currency. The model is the one the provider bills the calls
    under (macro billed_model: a fine-tune's own model, not the base it resolves to), kept in
    model_canonical, the column the invoice lines are matched on.

    What a provider bills is what reached it: gateway cache hits never did and are left out;
    failed calls and retries did and stay in. Token types follow the invoice vocabulary
    (docs/landing-contract.md#invoices, DECISIONS.md "Quantity types"): input is the uncached text input,
    cache_read the cached text, cache_write adds the 5-minute and the 1-hour writes, output
    the text output; input_audio and input_image the audio and image input (uncached and
    cached, each at its own price), output_audio and output_image; web_search and file_search
    calls, code_execution sessions, and request (the fee per request, where the model has
    one). quantity_unit says what a quantity counts. Priced quantities give ledger_quantity and
    ledger_amount; a quantity the ledger could not price (a row without a price, or a quantity
    its price row has no price for: audio tokens of a model without an audio price, web
    searches without a search price) is counted apart (unpriced_quantity) and has no amount.

    Amounts: the tokens of each price row are summed first and multiplied by the row's price
    per token once, which is exact (prices per token have 12 decimals, so the sum of the
    ledger's per-request products equals the product of the sum). They are converted from the
    price currency to the provider's invoice currency (seed providers) at the rate of the
    billing period's first day (fx_policy monthly_fixed) or of the request's UTC day (daily),
    as the invoice side is (DECISIONS.md, "Reconciliation"). ledger_cost_usd and
    ledger_cost_reporting are the ledger's own converted figures, summed, so that the
    reconciliation ties to fct_request_costs exactly.

    Contracts: `ledger_amount` is at list price, as the provider's usage lines are;
    `contract_discount_amount` is what the ledger's contract prices take off it (contract rates
    below list, and the contract's discount), so that ledger_amount - contract_discount_amount
    is the ledger's contracted cost, comparable with the invoice net of its discount lines.

    period_month is kept so that the reconciliation can show what a reporting-month view of the
    same provider would have moved across the month boundary (the time-zone cut-off).
*/

{%- set fx_policy = var('chargeback__fx_policy') %}
{%- set rate_date = 'ledger.billing_period_start' if fx_policy == 'monthly_fixed' else 'ledger.occurred_on' %}
{%- set quantity_types = billable_quantity_types() %}
{%- set of_type = 'quantity_types.quantity_type' %}
{#- the grain of a line: what a provider's invoice line is for #}
{%- set line_grain = [
    'provider', 'billing_period_start', 'period_month', 'model_canonical', 'token_type', 'quantity_unit',
    'invoice_currency',
] %}

{#- what the ledger's calls are grouped by: the provider's billing period, the reporting month,
    the model and the price and contract rows that priced them #}
{%- set billed_call_key = [
    'ledger.provider', 'ledger.billing_period_start', 'ledger.period_month', 'ledger.model_canonical',
    'ledger.is_priced', 'ledger.price_row_id', 'ledger.contract_row_id', 'ledger.price_currency',
] %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

prices as (
    select * from {{ ref('int_model_prices_prepared') }}
),

contracts as (
    select * from {{ ref('int_contract_prices_prepared') }}
),

providers as (
    select * from {{ ref('providers') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

billed_calls_grouped as (
    select
        {{ billed_call_key | join(',\n        ') }},
        {{ rate_date }} as rate_date,
        sum(ledger.requests) as requests,
        {%- for type in quantity_types %}
            sum(cast({{ type.quantity }} as {{ dbt.type_bigint() }})) as {{ type.name }}_quantity,
        {%- endfor %}
        sum(ledger.cost_price_currency) as cost_price_currency,
        sum(ledger.cost_usd) as cost_usd,
        sum(ledger.cost_reporting) as cost_reporting
    from ledger
    where ledger.cost_type != 'cache_hit'
    group by
        {{ billed_call_key | join(',\n        ') }},
        {{ rate_date }}
),

invoice_rates_joined as (
    select
        billed_calls_grouped.*,
        coalesce(providers.invoice_currency, 'USD') as invoice_currency,
        {{ fx_rate_or_one(
            'billed_calls_grouped.price_currency',
            "coalesce(providers.invoice_currency, 'USD')",
            'to_invoice_currency.rate'
        ) }} as fx_rate_to_invoice_currency
    from billed_calls_grouped
    left join providers
        on billed_calls_grouped.provider = providers.provider
    {{ fx_rate_join(
        'to_invoice_currency',
        'billed_calls_grouped.price_currency',
        'billed_calls_grouped.rate_date',
        "coalesce(providers.invoice_currency, 'USD')",
    ) }}
),

quantity_types as (
    {{ billable_quantity_type_rows() }}
),

{#- One row per group and quantity type (a cross join, not a union branch a type: see macro
    billable_quantity_type_rows), with the type's quantity, price and contract rate. #}

token_types_unpivoted as (
    select
        calls.provider,
        calls.billing_period_start,
        calls.period_month,
        {{ billed_model('prices', 'calls') }} as model_canonical,
        calls.invoice_currency,
        calls.is_priced as is_call_priced,
        calls.requests,
        calls.fx_rate_to_invoice_currency,
        quantity_types.quantity_type,
        quantity_types.quantity_type_order,
        quantity_types.line_token_type as token_type,
        quantity_types.quantity_unit,
        coalesce(contracts.discount_fraction, cast(0 as decimal(9, 6))) as discount_fraction,
        {{ quantity_type_case(of_type, 'calls.{name}_quantity') }} as tokens,
        {{ quantity_type_case(of_type, 'prices.{price}') }} as price_per_unit,
        {{ quantity_type_case(of_type, 'coalesce(contracts.{contract_rate}, prices.{price})', 'prices.{price}') }}
            as contract_rate_per_unit,
        {#- the ledger's converted costs, exact decimal(38,20), on the input row only #}
        case
            when quantity_types.quantity_type_order = 1 then cast(calls.cost_usd as decimal(38, 20))
        end as cost_usd,
        case
            when quantity_types.quantity_type_order = 1 then cast(calls.cost_reporting as decimal(38, 20))
        end as cost_reporting
    from invoice_rates_joined as calls
    cross join quantity_types
    left join prices
        on calls.price_row_id = prices.price_row_id
    left join contracts
        on calls.contract_row_id = contracts.contract_row_id
),

{#- The rows with a quantity (the input row also for calls with none, so that every call is
    counted once), the fee per request only where the model has one; when priced, the amount
    at list price and at the contract. #}

token_types_costed as (
    select
        *,
        is_call_priced and price_per_unit is not null as is_priced,
        case
            when is_call_priced and price_per_unit is not null
                then {{ convert_currency(
                    'cast(tokens as decimal(18, 0)) * price_per_unit',
                    'fx_rate_to_invoice_currency'
                ) }}
        end as amount,
        case
            when is_call_priced and price_per_unit is not null
                then {{ convert_currency(
                    'cast(tokens as decimal(18, 0)) * contract_rate_per_unit'
                    ~ ' * (cast(1 as decimal(9, 6)) - discount_fraction)',
                    'fx_rate_to_invoice_currency'
                ) }}
        end as contracted_amount
    from token_types_unpivoted
    where
        (quantity_type = 'request' and is_call_priced and price_per_unit > 0)
        or (quantity_type_order = 1 and (tokens > 0 or requests > 0))
        or (quantity_type != 'request' and quantity_type_order > 1 and tokens > 0)
),

final as (
    select
        {{ line_grain | join(',\n        ') }},
        sum(case when is_priced then tokens else 0 end) as ledger_quantity,
        sum(case when not is_priced then tokens else 0 end) as unpriced_quantity,
        sum(case when is_priced then amount else 0 end) as ledger_amount,
        sum(case when is_priced then amount - contracted_amount else 0 end) as contract_discount_amount,
        sum(case when token_type = 'input' then requests else 0 end) as requests,
        sum(case when token_type = 'input' and not is_call_priced then requests else 0 end) as unpriced_requests,
        sum(coalesce(cost_usd, 0)) as ledger_cost_usd,
        sum(coalesce(cost_reporting, 0)) as ledger_cost_reporting,
        count(*) as price_groups,
        sum(case when is_priced and fx_rate_to_invoice_currency is null then 1 else 0 end) as groups_without_rate
    from token_types_costed
    group by
        {{ line_grain | join(',\n        ') }}
)

select * from final
