/*
    The usage charges of the FOCUS export: the ledger's calls split into one charge per
    quantity type (DECISIONS.md, "FOCUS export" and "Billable quantities").

    Grain: UTC day (occurred_on) x reporting month (period_month) x billing period x provider
    x model x quantity type x price row x contract row x price currency x FX rate x cost type x
    priced flag x owner (team, product, environment, scenario) x API key x attribution method.
    Quantity types are separate charges of a model, each at one price (macro
    billable_quantity_types): text input (uncached), cache_read, cache_write_5m,
    cache_write_1h and output; input_audio (uncached), cache_read_audio, output_audio and the
    same for images (Tokens, priced per 1,000,000); web_search and file_search (Searches),
    code_execution (Sessions) and request, the fee per request where the model has one
    (Requests), priced per 1,000. A type with no quantity has no charge. Gateway cache hits are
    not charges (no provider call: they cost nothing and their saving stays in the chargeback).

    Money, in the billing currency (the reporting currency, `chargeback__reporting_currency`):
      - list_unit_price: the price row's list price per 1,000,000 tokens times the ledger's FX
        rate; list_cost = list_unit_price x pricing_quantity (tokens / 1,000,000);
      - contracted_unit_price: the contract's rate (else the list price) less the contract's
        discount, per 1,000,000 tokens, times the FX rate; contracted_cost likewise;
      - effective_cost (and billed_cost): the ledger's own cost of the group (the chargeback's
        cost_reporting), split by token type at the contracted cost. The ledger rounds each
        call's cost to 12 decimals of its price currency; what that leaves between the group's
        ledger cost and the sum of its contracted costs (a few 1e-12 per call) is carried on
        the group's largest charge, so the charges add up to the ledger exactly.
    An unpriced charge (a model the price catalogue does not know, or a quantity its price row
    has no price for: audio tokens of a model without an audio price, code execution) has no
    cost in the ledger and none here: billed and effective cost 0, as in the chargeback, where
    the invoice true-up carries what the invoice bills for it (int_focus_invoice_charges). Its
    unit price is the invoice's for that model and token type in the billing period
    (int_invoice_lines_compared; the two cache writes are one invoice token type, cached
    audio or image input is audio or image input; tool calls and request fees billed without
    a model take the provider's line), when the invoice bills it (at list price): sku_price_id
    names the invoice, list cost is that price x the quantity, contracted cost the same less
    the contract's discount. Without such an invoice line its unit prices and sku_price_id stay
    null, which FOCUS 1.0 does not allow for usage: the export then fails validation until the
    model has a price (DECISIONS.md).

    Charge period: the UTC day, cut to the billing period and to the reporting month (a UTC
    day can fall in two reporting months of a zone ahead of UTC).
*/

{%- set dimensions = [
    'occurred_on', 'period_month', 'billing_period_start', 'provider', 'model_canonical',
    'price_row_id', 'contract_row_id', 'price_currency', 'fx_rate', 'cost_type', 'is_priced',
    'team_id', 'product_id', 'environment', 'scenario_id', 'api_key_id', 'attribution_method',
] %}
{%- set quantity_types = billable_quantity_types() %}
{%- set of_type = 'quantity_types.quantity_type' %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
    where cost_type != 'cache_hit'
),

prices as (
    select * from {{ ref('int_model_prices_prepared') }}
),

contracts as (
    select * from {{ ref('int_contract_prices_prepared') }}
),

billing_periods as (
    select * from {{ ref('int_billing_periods') }}
),

invoice_lines as (
    select * from {{ ref('int_invoice_lines_compared') }}
    where has_invoice_unit_price
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

calls_grouped as (
    select
        {{ surrogate_key(dimensions) }} as usage_group_id,
        {%- for column in dimensions %}
            {{ column }},
        {%- endfor %}
        sum(requests) as requests,
        {%- for type in quantity_types %}
            sum({{ type.quantity }}) as {{ type.name }}_quantity,
        {%- endfor %}
        sum(cost_reporting) as ledger_cost
    from ledger
    group by
        {{ dimensions | join(',\n        ') }}
),

prices_joined as (
    select
        calls_grouped.*,
        prices.provider as price_provider,
        prices.model as price_model,
        prices.processing as price_processing,
        prices.above_input_tokens as price_tier_above_input_tokens,
        prices.valid_from as price_valid_from,
        {%- for type in quantity_types %}
            prices.{{ type.price }},
        {%- endfor %}
        {%- for type in quantity_types if type.contract_rate %}
            contracts.{{ type.contract_rate }},
        {%- endfor %}
        contracts.contract_reference,
        coalesce(contracts.discount_fraction, cast(0 as decimal(9, 6))) as discount_fraction
    from calls_grouped
    left join prices
        on calls_grouped.price_row_id = prices.price_row_id
    left join contracts
        on calls_grouped.contract_row_id = contracts.contract_row_id
),

quantity_types as (
    {{ billable_quantity_type_rows() }}
),

-- one row per group and quantity type (a cross join, not a union branch a type: see macro
-- billable_quantity_type_rows), with the type's quantity, list price and contract rate
token_types_unpivoted as (
    select
        prices_joined.*,
        quantity_types.quantity_type as token_type,
        quantity_types.line_token_type,
        quantity_types.quantity_type_order as token_type_order,
        quantity_types.token_direction,
        quantity_types.token_cache_action,
        quantity_types.quantity_unit,
        quantity_types.units_per_pricing_unit,
        quantity_types.pricing_units_per_unit,
        {{ quantity_type_case(of_type, 'prices_joined.{name}_quantity') }} as tokens,
        {{ quantity_type_case(of_type, 'prices_joined.{price}') }} as list_price_per_token,
        {{ quantity_type_case(of_type, 'coalesce(prices_joined.{contract_rate}, prices_joined.{price})', 'prices_joined.{price}') }}
            as contract_rate_per_token
    from prices_joined
    cross join quantity_types
),

-- a type with no quantity has no charge; the request type is the fee of a priced model that
-- has one
token_types_charged as (
    select
        *,
        is_priced and list_price_per_token is not null as is_charge_priced
    from token_types_unpivoted
    where
        (token_type = 'request' and is_priced and list_price_per_token > 0)
        or (token_type != 'request' and tokens > 0)
),

-- An unpriced charge takes the invoice's unit price of its model and line type; tool calls
-- and request fees the invoice bills without a model, the provider's line (the line
-- reconciliation holds one of the two for a type and period, never both).
invoice_prices_joined as (
    select
        token_types_charged.*,
        invoices.invoice_id as pricing_invoice_id,
        {{ convert_currency(
            'invoice_lines.invoice_unit_price_per_mtok * token_types_charged.units_per_pricing_unit'
            ~ ' * cast(0.000001 as decimal(7, 6))',
            'invoices.fx_rate'
        ) }} as invoice_unit_price
    from token_types_charged
    left join invoice_lines
        on not token_types_charged.is_charge_priced
        and token_types_charged.provider = invoice_lines.provider
        and token_types_charged.billing_period_start = invoice_lines.billing_period_start
        and token_types_charged.line_token_type = invoice_lines.token_type
        and (
            token_types_charged.model_canonical = invoice_lines.model
            or (invoice_lines.model is null and invoice_lines.token_type in ('web_search', 'file_search', 'code_execution', 'request'))
        )
    left join invoices
        on invoice_lines.provider = invoices.provider
        and invoice_lines.billing_period_start = invoices.billing_period_start
),

unit_prices as (
    select
        *,
        cast(cast(tokens as decimal(18, 0)) * pricing_units_per_unit as decimal(38, 6)) as pricing_quantity,
        case
            when is_charge_priced
                then {{ convert_currency(
                    'list_price_per_token * units_per_pricing_unit', 'fx_rate'
                ) }}
            else invoice_unit_price
        end as list_unit_price,
        case
            when is_charge_priced
                then {{ convert_currency(
                    'contract_rate_per_token * units_per_pricing_unit'
                    ~ ' * (cast(1 as decimal(9, 6)) - discount_fraction)',
                    'fx_rate'
                ) }}
            else cast(
                invoice_unit_price * (cast(1 as decimal(9, 6)) - discount_fraction) as {{ type_billing_money() }}
            )
        end as contracted_unit_price
    from invoice_prices_joined
),

costed as (
    select
        *,
        coalesce(
            cast(list_unit_price * pricing_quantity as {{ type_billing_money() }}),
            cast(0 as {{ type_billing_money() }})
        ) as list_cost,
        coalesce(
            cast(contracted_unit_price * pricing_quantity as {{ type_billing_money() }}),
            cast(0 as {{ type_billing_money() }})
        ) as contracted_cost
    from unit_prices
),

-- The ledger's cost of the group, by quantity type at the contracted cost; the group's per-call
-- rounding residue goes on its largest priced charge (ties: the quantity type order above).
ledger_cost_split as (
    select
        *,
        row_number() over (
            partition by usage_group_id
            order by case when is_charge_priced then 0 else 1 end asc, contracted_cost desc, token_type_order asc
        ) as charge_rank,
        sum(case when is_charge_priced then contracted_cost else 0 end) over (partition by usage_group_id)
            as group_contracted_cost
    from costed
),

periods_joined as (
    select
        ledger_cost_split.*,
        {{ billing_period_bounds('ledger_cost_split') }},
        {{ reporting_month_bounds('ledger_cost_split.period_month') }}
    from ledger_cost_split
    left join billing_periods
        on ledger_cost_split.provider = billing_periods.provider
        and ledger_cost_split.billing_period_start = billing_periods.billing_period_start
),

final as (
    select
        {{ surrogate_key(['usage_group_id', 'token_type']) }} as charge_key,
        'token_usage' as charge_kind,
        period_month,
        billing_period_start,
        billing_period_starts_at,
        billing_period_ends_at,
        greatest(
            cast(occurred_on as {{ dbt.type_timestamp() }}), billing_period_starts_at, period_month_starts_at
        ) as charge_period_start,
        least(
            cast({{ dbt.dateadd('day', 1, 'occurred_on') }} as {{ dbt.type_timestamp() }}),
            billing_period_ends_at,
            period_month_ends_at
        ) as charge_period_end,
        provider,
        model_canonical,
        token_type,
        token_direction,
        token_cache_action,
        quantity_unit,
        cost_type,
        is_charge_priced as is_priced,
        price_row_id,
        contract_row_id,
        contract_reference,
        price_provider,
        price_model,
        price_processing,
        price_tier_above_input_tokens,
        price_valid_from,
        pricing_invoice_id,
        price_currency,
        fx_rate,
        team_id,
        product_id,
        environment,
        scenario_id,
        api_key_id,
        attribution_method,
        requests,
        tokens,
        pricing_quantity,
        list_unit_price,
        contracted_unit_price,
        list_cost,
        contracted_cost,
        case
            when not is_charge_priced then cast(0 as {{ type_billing_money() }})
            when charge_rank = 1
                then cast(
                    contracted_cost + (coalesce(ledger_cost, 0) - group_contracted_cost) as {{ type_billing_money() }}
                )
            else contracted_cost
        end as effective_cost
    from periods_joined
)

select * from final
