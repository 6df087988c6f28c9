/*
    The token charges of the FOCUS export: the ledger's calls split into one charge per token
    type (DECISIONS.md, "FOCUS export").

    Grain: UTC day (occurred_on) x reporting month (period_month) x billing period x provider
    x model x token type x price row x contract row x price currency x FX rate x cost type x
    priced flag x owner (team, product, environment, scenario) x API key x attribution method.
    Token types are separate charges of a model: input (uncached), cache_read, cache_write_5m,
    cache_write_1h and output; a type with no tokens has no charge. Gateway cache hits are not
    charges (no provider call: they cost nothing and their saving stays in the chargeback).

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
    An unpriced group (a model the price catalogue does not know) has no cost in the ledger
    and none here: billed and effective cost 0, as in the chargeback, where the invoice
    true-up carries what the invoice bills for it (int_focus_invoice_charges). Its unit price
    is the invoice's for that model and token type in the billing period
    (fct_invoice_line_reconciliation; the two cache writes are one invoice token type), when
    the invoice bills it (at list price): sku_price_id names the invoice, list cost is that
    price x the quantity, contracted cost the same less the contract's discount. Without such
    an invoice line its unit prices and sku_price_id stay null, which FOCUS 1.0 does not allow
    for usage: the export then fails validation until the model has a price (DECISIONS.md).

    Charge period: the UTC day, cut to the billing period and to the reporting month (a UTC
    day can fall in two reporting months of a zone ahead of UTC).
*/

{%- set reporting_timezone = var('chargeback__reporting_timezone') %}
{%- set dimensions = [
    'occurred_on', 'period_month', 'billing_period_start', 'provider', 'model_canonical',
    'price_row_id', 'contract_row_id', 'price_currency', 'fx_rate', 'cost_type', 'is_priced',
    'team_id', 'product_id', 'environment', 'scenario_id', 'api_key_id', 'attribution_method',
] %}
{#- (token type, ledger tokens column, list price per token, contract rate per token, direction, cache action) #}
{%- set token_types = [
    ('input', 'uncached_input_tokens', 'input_per_token', 'contract_input_per_token', 'input', 'none'),
    ('cache_read', 'cache_read_tokens', 'cache_read_per_token', 'contract_cache_read_per_token', 'input', 'read'),
    ('cache_write_5m', 'cache_write_tokens', 'cache_write_per_token', 'contract_cache_write_per_token', 'input', 'write'),
    ('cache_write_1h', 'cache_write_1h_tokens', 'cache_write_1h_per_token', 'contract_cache_write_1h_per_token', 'input', 'write'),
    ('output', 'output_tokens', 'output_per_token', 'contract_output_per_token', 'output', 'none'),
] %}

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
    select * from {{ ref('fct_invoice_line_reconciliation') }}
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
        {%- for _, tokens, _, _, _, _ in token_types %}
            sum({{ tokens }}) as {{ tokens }},
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
        {%- for _, _, list_price, _, _, _ in token_types %}
            prices.{{ list_price }},
        {%- endfor %}
        {%- for _, _, _, contract_rate, _, _ in token_types %}
            contracts.{{ contract_rate }},
        {%- endfor %}
        contracts.contract_reference,
        coalesce(contracts.discount_fraction, cast(0 as decimal(9, 6))) as discount_fraction
    from calls_grouped
    left join prices
        on calls_grouped.price_row_id = prices.price_row_id
    left join contracts
        on calls_grouped.contract_row_id = contracts.contract_row_id
),

token_types_unpivoted as (
    {%- for token_type, tokens, list_price, contract_rate, direction, cache_action in token_types %}
        select
            prices_joined.*,
            '{{ token_type }}' as token_type,
            {{ loop.index }} as token_type_order,
            '{{ direction }}' as token_direction,
            '{{ cache_action }}' as token_cache_action,
            prices_joined.{{ tokens }} as tokens,
            prices_joined.{{ list_price }} as list_price_per_token,
            coalesce(prices_joined.{{ contract_rate }}, prices_joined.{{ list_price }}) as contract_rate_per_token
        from prices_joined
        where prices_joined.{{ tokens }} > 0
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

invoice_prices_joined as (
    select
        token_types_unpivoted.*,
        invoices.invoice_id as pricing_invoice_id,
        {{ convert_currency('invoice_lines.invoice_unit_price_per_mtok', 'invoices.fx_rate') }} as invoice_unit_price
    from token_types_unpivoted
    left join invoice_lines
        on not token_types_unpivoted.is_priced
        and token_types_unpivoted.provider = invoice_lines.provider
        and token_types_unpivoted.billing_period_start = invoice_lines.billing_period_start
        and token_types_unpivoted.model_canonical = invoice_lines.model
        and case
            when token_types_unpivoted.token_type like 'cache_write%' then 'cache_write'
            else token_types_unpivoted.token_type
        end = invoice_lines.token_type
    left join invoices
        on invoice_lines.provider = invoices.provider
        and invoice_lines.billing_period_start = invoices.billing_period_start
),

unit_prices as (
    select
        *,
        cast(
            cast(tokens as decimal(18, 0)) * cast(0.000001 as decimal(7, 6)) as decimal(38, 6)
        ) as pricing_quantity,
        case
            when is_priced
                then {{ convert_currency(
                    'list_price_per_token * cast(1000000 as decimal(7, 0))', 'fx_rate'
                ) }}
            else invoice_unit_price
        end as list_unit_price,
        case
            when is_priced
                then {{ convert_currency(
                    'contract_rate_per_token * cast(1000000 as decimal(7, 0))'
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

-- The ledger's cost of the group, by token type at the contracted cost; the group's per-call
-- rounding residue goes on its largest charge (ties: the token type order above).
ledger_cost_split as (
    select
        *,
        row_number() over (
            partition by usage_group_id order by contracted_cost desc, token_type_order asc
        ) as charge_rank,
        sum(case when is_priced then contracted_cost else 0 end) over (partition by usage_group_id)
            as group_contracted_cost
    from costed
),

periods_joined as (
    select
        ledger_cost_split.*,
        coalesce(
            billing_periods.starts_at_utc,
            cast(ledger_cost_split.billing_period_start as {{ dbt.type_timestamp() }})
        ) as billing_period_starts_at,
        coalesce(
            billing_periods.ends_at_utc,
            cast({{ dbt.dateadd('month', 1, 'ledger_cost_split.billing_period_start') }} as {{ dbt.type_timestamp() }})
        ) as billing_period_ends_at,
        {{ local_to_utc('cast(ledger_cost_split.period_month as ' ~ dbt.type_timestamp() ~ ')', reporting_timezone) }}
            as period_month_starts_at,
        {{ local_to_utc(
            'cast(' ~ dbt.dateadd('month', 1, 'ledger_cost_split.period_month') ~ ' as ' ~ dbt.type_timestamp() ~ ')',
            reporting_timezone
        ) }} as period_month_ends_at
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
        cost_type,
        is_priced,
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
            when not is_priced then cast(0 as {{ type_billing_money() }})
            when charge_rank = 1
                then cast(
                    contracted_cost + (coalesce(ledger_cost, 0) - group_contracted_cost) as {{ type_billing_money() }}
                )
            else contracted_cost
        end as effective_cost
    from periods_joined
)

select * from final
