/*
    Every charge of the FOCUS export as the warehouse computes it now, with its FOCUS
    attributes (DECISIONS.md, "FOCUS export"). fct_focus_costs shows these rows for open
    months; a closed month keeps the effective cost its rows had when it closed
    (int_closed_focus_charges) and what changed since is booked as Correction charges.

    Grain: one row per charge (charge_key): the token charges (int_focus_usage_charges), the
    invoices' own charges (int_focus_invoice_charges: allocated credits, fees and adjustments,
    the invoice true-up, taxes), the shared platform costs (int_focus_shared_charges) and the
    capacity pools' allocations (int_focus_capacity_charges: a pool period is a purchase of
    capacity, Purchase and Recurring like a platform cost pool: charge_kind capacity,
    allocated_method_id weighted_tokens_used for an owner's share of the capacity its calls
    used, weighted_tokens_idle for the unused part, each the owner's allocation to the cent;
    its token calls are token charges of cost 0). A pool of a provider that bills it
    (int_capacity_reservations_billed: Azure PTU, Bedrock provisioned throughput) is issued by
    that provider, in the billing period of the month it pays for, citing its invoice; your
    own GPUs' pools are issued by the platform.

    Attributes:
      - names of providers, invoice issuers and services from seed focus_providers (a
        provider it does not list keeps its id as its name); the publisher from seed
        focus_publishers: the longest model_prefix matching the model id (without a Bedrock
        `regional.` or `global.` inference-profile prefix), else the provider's row with a
        blank prefix, else the provider's name. Shared platform costs are issued by
        `chargeback__focus_platform_provider`;
      - the billing account is the provider (one account per provider in this warehouse), the
        sub account the owning team, the resource the gateway API key of a token charge;
      - Tags: the finalized owner (team, product, environment, scenario of token charges) and
        the team's cost center, as a JSON object; taxes have none;
      - the billing currency is the reporting currency; billing periods and charge periods are
        UTC timestamps, [start, end). billing_month names the billing period (its first day in
        the issuer's time zone) and picks the export file.
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}
{%- set platform_provider = var('chargeback__focus_platform_provider') %}
{%- set service_category = 'AI and Machine Learning' %}

-- A table: read by the frozen copy of closed months, by fct_focus_costs and by the ties.
{{ config(materialized='table') }}

with

usage_charges as (
    select * from {{ ref('int_focus_usage_charges') }}
),

invoice_charges as (
    select * from {{ ref('int_focus_invoice_charges') }}
),

shared_charges as (
    select * from {{ ref('int_focus_shared_charges') }}
),

capacity_allocations as (
    select * from {{ ref('int_focus_capacity_charges') }}
),

focus_providers as (
    select * from {{ ref('focus_providers') }}
),

model_publishers as (
    select * from {{ ref('focus_publishers') }}
),

default_publishers as (
    select * from {{ ref('focus_publishers') }}
    where model_prefix is null
),

teams as (
    select * from {{ ref('teams') }}
),

confidence as (
    select * from {{ ref('int_showback_confidence_scored') }}
),

charged_models as (
    select
        provider,
        model_canonical
    from usage_charges
    union
    select
        provider,
        model_canonical
    from invoice_charges
    where model_canonical is not null
),

usage_models as (
    select distinct
        provider,
        model_canonical,
        case
            when model_canonical like 'regional.%' then substr(model_canonical, 10)
            when model_canonical like 'global.%' then substr(model_canonical, 8)
            else model_canonical
        end as publisher_lookup_model
    from charged_models
),

publisher_candidates as (
    select
        usage_models.provider,
        usage_models.model_canonical,
        model_publishers.publisher_name,
        row_number() over (
            partition by usage_models.provider, usage_models.model_canonical
            order by length(model_publishers.model_prefix) desc
        ) as prefix_rank
    from usage_models
    inner join model_publishers
        on usage_models.provider = model_publishers.provider
        and model_publishers.model_prefix is not null
        and usage_models.publisher_lookup_model like {{ dbt.concat(['model_publishers.model_prefix', "'%'"]) }}
),

model_publishers_chosen as (
    select
        provider,
        model_canonical,
        publisher_name
    from publisher_candidates
    where prefix_rank = 1
),

token_charges as (
    select
        usage_charges.charge_key,
        usage_charges.charge_kind,
        usage_charges.period_month,
        usage_charges.billing_period_start as billing_month,
        usage_charges.billing_period_starts_at,
        usage_charges.billing_period_ends_at,
        usage_charges.charge_period_start,
        usage_charges.charge_period_end,
        'Usage' as charge_category,
        'Usage-Based' as charge_frequency,
        {{ dbt.concat([
            'usage_charges.model_canonical',
            "' '",
            "case when usage_charges.token_type = 'request' then 'request' else replace(usage_charges.token_type, '_', ' ') end",
            "case usage_charges.quantity_unit when 'tokens' then ' tokens' when 'calls' then ' calls'"
            ~ " when 'sessions' then ' sessions' else ' fees' end",
            "case when usage_charges.price_processing = 'batch' then ' (batch)' else '' end",
            "case when usage_charges.price_tier_above_input_tokens > 0 then ' (long context)' else '' end",
            "case usage_charges.cost_type when 'retry' then ', retries' when 'failed' then ', failed calls' else '' end",
            "case when usage_charges.is_priced then '' when usage_charges.pricing_invoice_id is not null then "
            ~ "', not in the price catalogue: at the invoice price, billed in the invoice true-up' else ', unpriced' end",
        ]) }} as charge_description,
        usage_charges.provider,
        coalesce(model_publishers_chosen.publisher_name, default_publishers.publisher_name) as publisher_name,
        'provider' as issuer_kind,
        usage_charges.team_id,
        usage_charges.product_id,
        usage_charges.environment,
        usage_charges.scenario_id,
        usage_charges.api_key_id as resource_id,
        {{ dbt.concat(['usage_charges.provider', "'/'", 'usage_charges.model_canonical', "'/'", 'usage_charges.token_type']) }}
            as sku_id,
        case
            when usage_charges.is_priced
                then {{ dbt.concat([
                    'usage_charges.price_provider', "'/'", 'usage_charges.price_model', "'/'",
                    'usage_charges.token_type', "'/'", 'usage_charges.price_processing', "'/above-'",
                    'cast(usage_charges.price_tier_above_input_tokens as ' ~ dbt.type_string() ~ ')', "'/from-'",
                    'cast(usage_charges.price_valid_from as ' ~ dbt.type_string() ~ ')',
                ]) }}
            when usage_charges.pricing_invoice_id is not null
                then {{ dbt.concat([
                    'usage_charges.provider', "'/'", 'usage_charges.model_canonical', "'/'",
                    'usage_charges.token_type', "'/invoice-'", 'usage_charges.pricing_invoice_id',
                ]) }}
        end as sku_price_id,
        'Standard' as pricing_category,
        cast(usage_charges.pricing_quantity as decimal(38, 12)) as pricing_quantity,
        -- tokens per 1,000,000; searches, sessions and requests per 1,000 (as genai-prices prices them)
        case usage_charges.quantity_unit
            when 'tokens' then '1000000 Tokens'
            when 'calls' then '1000 Searches'
            when 'sessions' then '1000 Sessions'
            else '1000 Requests'
        end as pricing_unit,
        cast(usage_charges.tokens as decimal(38, 6)) as consumed_quantity,
        case usage_charges.quantity_unit
            when 'tokens' then 'Tokens'
            when 'calls' then 'Searches'
            when 'sessions' then 'Sessions'
            else 'Requests'
        end as consumed_unit,
        usage_charges.list_unit_price,
        usage_charges.contracted_unit_price,
        usage_charges.list_cost,
        usage_charges.contracted_cost,
        usage_charges.effective_cost as billed_cost,
        usage_charges.effective_cost,
        usage_charges.model_canonical as model_id,
        usage_charges.token_type,
        usage_charges.token_direction,
        usage_charges.token_cache_action,
        usage_charges.cost_type,
        usage_charges.is_priced,
        usage_charges.attribution_method,
        usage_charges.contract_reference,
        cast(null as {{ dbt.type_string() }}) as invoice_id,
        usage_charges.price_currency as pricing_currency,
        cast(usage_charges.fx_rate as {{ type_fx_rate() }}) as pricing_to_billing_exchange_rate,
        cast(null as {{ dbt.type_string() }}) as allocated_method_id,
        cast(null as {{ type_share() }}) as allocated_ratio,
        cast(null as {{ dbt.type_string() }}) as allocated_method_details,
        cast(null as {{ dbt.type_string() }}) as allocation_origin_id,
        cast(null as {{ type_billing_money() }}) as allocation_origin_cost
    from usage_charges
    left join model_publishers_chosen
        on usage_charges.provider = model_publishers_chosen.provider
        and usage_charges.model_canonical = model_publishers_chosen.model_canonical
    left join default_publishers
        on usage_charges.provider = default_publishers.provider
),

-- What an unlogged usage line's FOCUS quantities are: its tokens per 1,000,000 when the line
-- counts tokens, its own quantity and unit when it counts something else, else the line
-- itself (1 billed line at its amount): a price is never invented for it.
unlogged_quantities as (
    select
        charge_key,
        case
            when line_quantity > 0 and (line_unit is null or lower(line_unit) like 'token%')
                then cast(line_quantity / 1000000 as decimal(38, 12))
            when line_quantity > 0 then cast(line_quantity as decimal(38, 12))
            else cast(1 as decimal(38, 12))
        end as pricing_quantity,
        case
            when line_quantity > 0 and (line_unit is null or lower(line_unit) like 'token%') then '1000000 Tokens'
            when line_quantity > 0 then line_unit
            else 'Billed lines'
        end as pricing_unit,
        case when line_quantity > 0 then line_quantity else cast(1 as decimal(38, 6)) end as consumed_quantity,
        case
            when line_quantity > 0 and (line_unit is null or lower(line_unit) like 'token%') then 'Tokens'
            when line_quantity > 0 then line_unit
            else 'Billed lines'
        end as consumed_unit
    from invoice_charges
    where charge_kind = 'invoice_unlogged_usage'
),

{#-
    An invoice's own charge is priced by the invoice: its list and contracted unit price and
    cost are the same. A fee's unit price is the whole fee (a month of it), its cost the
    owner's share; an unlogged usage line's unit price is its billed cost per pricing unit.
#}
{%- set invoice_unit_price -%}
    case
        when invoice_charges.charge_kind = 'invoice_fee'
            then cast(invoice_charges.allocation_origin_cost as {{ type_billing_money() }})
        when invoice_charges.charge_kind = 'invoice_unlogged_usage'
            then cast(
                cast(
                    {{ divide('invoice_charges.billed_cost', 'unlogged_quantities.pricing_quantity') }}
                    as decimal(38, 12)
                ) as {{ type_billing_money() }}
            )
    end
{%- endset %}
{%- set invoice_line_cost -%}
    case
        when invoice_charges.charge_kind = 'invoice_fee'
            then cast(
                cast(invoice_charges.allocation_origin_cost as decimal(24, 12))
                * cast(invoice_charges.allocated_ratio as decimal(13, 12)) as {{ type_billing_money() }}
            )
        else invoice_charges.billed_cost
    end
{%- endset %}

invoice_owner_charges as (
    select
        invoice_charges.charge_key,
        invoice_charges.charge_kind,
        invoice_charges.period_month,
        invoice_charges.billing_period_start as billing_month,
        invoice_charges.billing_period_starts_at,
        invoice_charges.billing_period_ends_at,
        greatest(
            invoice_charges.billing_period_starts_at,
            coalesce(invoice_charges.period_month_starts_at, invoice_charges.billing_period_starts_at)
        ) as charge_period_start,
        least(
            invoice_charges.billing_period_ends_at,
            coalesce(invoice_charges.period_month_ends_at, invoice_charges.billing_period_ends_at)
        ) as charge_period_end,
        case invoice_charges.charge_kind
            when 'invoice_credit' then 'Credit'
            when 'invoice_fee' then 'Purchase'
            when 'invoice_tax' then 'Tax'
            when 'invoice_unlogged_usage' then 'Usage'
            else 'Adjustment'
        end as charge_category,
        case invoice_charges.charge_kind
            when 'invoice_fee' then 'Recurring'
            when 'invoice_unlogged_usage' then 'Usage-Based'
            else 'One-Time'
        end as charge_frequency,
        case
            when invoice_charges.charge_kind = 'invoice_true_up' and invoice_charges.allocation_basis = 'no_logged_calls'
                then {{ dbt.concat([
                    "'Invoice true-up of '", 'invoice_charges.invoice_id',
                    "': the invoice less its usage, credits, fees and adjustments (spend without logged calls)'",
                ]) }}
            when invoice_charges.charge_kind = 'invoice_true_up'
                then {{ dbt.concat([
                    "'Invoice true-up of '", 'invoice_charges.invoice_id',
                    "': the invoice less the token charges (discounts, unpriced usage, price and volume differences)'",
                ]) }}
            when invoice_charges.charge_kind = 'invoice_unlogged_usage'
                then {{ dbt.concat([
                    'invoice_charges.line_description', "' ('", 'invoice_charges.invoice_id', "'): spend without logged calls, '",
                    "case invoice_charges.unlogged_reason when 'no_logged_calls' then 'no call of the provider logged in the billing period'"
                    ~ " else 'no call of the model logged in the billing period' end",
                ]) }}
            else {{ dbt.concat(['invoice_charges.line_description', "' ('", 'invoice_charges.invoice_id', "')'"]) }}
        end as charge_description,
        invoice_charges.provider,
        coalesce(model_publishers_chosen.publisher_name, default_publishers.publisher_name) as publisher_name,
        'provider' as issuer_kind,
        invoice_charges.team_id,
        invoice_charges.product_id,
        invoice_charges.environment,
        cast(null as {{ dbt.type_string() }}) as scenario_id,
        cast(null as {{ dbt.type_string() }}) as resource_id,
        case
            when invoice_charges.charge_kind = 'invoice_fee'
                then {{ dbt.concat(['invoice_charges.provider', "'/fee/'", 'invoice_charges.line_description']) }}
            when invoice_charges.charge_kind = 'invoice_unlogged_usage'
                then {{ dbt.concat([
                    'invoice_charges.provider', "'/'",
                    "coalesce(invoice_charges.model_canonical, invoice_charges.line_description)", "'/'",
                    'invoice_charges.token_type',
                ]) }}
        end as sku_id,
        case
            when invoice_charges.charge_kind = 'invoice_fee'
                then {{ dbt.concat([
                    'invoice_charges.provider', "'/fee/'", 'invoice_charges.line_description', "'/'",
                    'cast(invoice_charges.billing_period_start as ' ~ dbt.type_string() ~ ')',
                ]) }}
            when invoice_charges.charge_kind = 'invoice_unlogged_usage'
                then {{ dbt.concat([
                    'invoice_charges.provider', "'/'",
                    "coalesce(invoice_charges.model_canonical, invoice_charges.line_description)", "'/'",
                    'invoice_charges.token_type', "'/invoice-'", 'invoice_charges.invoice_id',
                ]) }}
        end as sku_price_id,
        case when invoice_charges.charge_kind in ('invoice_fee', 'invoice_unlogged_usage') then 'Standard' end
            as pricing_category,
        case
            when invoice_charges.charge_kind = 'invoice_fee'
                then cast(cast(invoice_charges.allocated_ratio as decimal(13, 12)) as decimal(38, 12))
            when invoice_charges.charge_kind = 'invoice_unlogged_usage'
                then unlogged_quantities.pricing_quantity
        end as pricing_quantity,
        case
            when invoice_charges.charge_kind = 'invoice_fee' then 'Months'
            when invoice_charges.charge_kind = 'invoice_unlogged_usage' then unlogged_quantities.pricing_unit
        end as pricing_unit,
        unlogged_quantities.consumed_quantity,
        unlogged_quantities.consumed_unit,
        {{ invoice_unit_price }} as list_unit_price,
        {{ invoice_unit_price }} as contracted_unit_price,
        {{ invoice_line_cost }} as list_cost,
        {{ invoice_line_cost }} as contracted_cost,
        invoice_charges.billed_cost,
        invoice_charges.effective_cost,
        invoice_charges.model_canonical as model_id,
        invoice_charges.token_type,
        case
            when invoice_charges.token_type = 'output' then 'output'
            when invoice_charges.token_type in ('input', 'cache_read', 'cache_write') then 'input'
        end as token_direction,
        case invoice_charges.token_type
            when 'input' then 'none'
            when 'output' then 'none'
            when 'cache_read' then 'read'
            when 'cache_write' then 'write'
        end as token_cache_action,
        cast(null as {{ dbt.type_string() }}) as cost_type,
        cast(null as boolean) as is_priced,
        cast(null as {{ dbt.type_string() }}) as attribution_method,
        cast(null as {{ dbt.type_string() }}) as contract_reference,
        invoice_charges.invoice_id,
        invoice_charges.invoice_currency as pricing_currency,
        cast(invoice_charges.fx_rate as {{ type_fx_rate() }}) as pricing_to_billing_exchange_rate,
        case
            when invoice_charges.allocation_basis is not null
                then {{ dbt.concat(["'invoice_share_by_'", 'invoice_charges.allocation_basis']) }}
        end as allocated_method_id,
        invoice_charges.allocated_ratio,
        case
            when invoice_charges.allocation_basis is not null
                then {{ json_object([
                    ('AllocatedRatio', 'invoice_charges.allocated_ratio', 'ratio'),
                    ('UsageUnit', "case invoice_charges.allocation_basis when 'ledger_cost' then "
                        ~ "'" ~ reporting_currency ~ " of token charges' else 'Requests' end"),
                    ('UsageQuantity', 'invoice_charges.allocation_basis_amount', 'decimal', 20),
                ]) }}
        end as allocated_method_details,
        invoice_charges.allocation_origin_id,
        invoice_charges.allocation_origin_cost
    from invoice_charges
    left join unlogged_quantities
        on invoice_charges.charge_key = unlogged_quantities.charge_key
    left join model_publishers_chosen
        on invoice_charges.provider = model_publishers_chosen.provider
        and invoice_charges.model_canonical = model_publishers_chosen.model_canonical
    left join default_publishers
        on invoice_charges.provider = default_publishers.provider
),

platform_charges as (
    select
        shared_charges.charge_key,
        shared_charges.charge_kind,
        shared_charges.period_month,
        shared_charges.period_month as billing_month,
        shared_charges.period_month_starts_at as billing_period_starts_at,
        shared_charges.period_month_ends_at as billing_period_ends_at,
        shared_charges.period_month_starts_at as charge_period_start,
        shared_charges.period_month_ends_at as charge_period_end,
        'Purchase' as charge_category,
        'Recurring' as charge_frequency,
        coalesce(shared_charges.pool_description, shared_charges.cost_pool) as charge_description,
        cast(null as {{ dbt.type_string() }}) as provider,
        '{{ platform_provider }}' as publisher_name,
        'platform' as issuer_kind,
        shared_charges.team_id,
        shared_charges.product_id,
        shared_charges.environment,
        cast(null as {{ dbt.type_string() }}) as scenario_id,
        cast(null as {{ dbt.type_string() }}) as resource_id,
        {{ dbt.concat(["'platform/'", 'shared_charges.cost_pool']) }} as sku_id,
        {{ dbt.concat([
            "'platform/'", 'shared_charges.cost_pool', "'/'", 'cast(shared_charges.period_month as ' ~ dbt.type_string() ~ ')',
        ]) }} as sku_price_id,
        'Standard' as pricing_category,
        cast(shared_charges.pricing_quantity as decimal(38, 12)) as pricing_quantity,
        'Months' as pricing_unit,
        cast(null as decimal(38, 6)) as consumed_quantity,
        cast(null as {{ dbt.type_string() }}) as consumed_unit,
        shared_charges.unit_price as list_unit_price,
        shared_charges.unit_price as contracted_unit_price,
        shared_charges.list_cost,
        shared_charges.list_cost as contracted_cost,
        shared_charges.effective_cost as billed_cost,
        shared_charges.effective_cost,
        cast(null as {{ dbt.type_string() }}) as model_id,
        cast(null as {{ dbt.type_string() }}) as token_type,
        cast(null as {{ dbt.type_string() }}) as token_direction,
        cast(null as {{ dbt.type_string() }}) as token_cache_action,
        cast(null as {{ dbt.type_string() }}) as cost_type,
        cast(null as boolean) as is_priced,
        cast(null as {{ dbt.type_string() }}) as attribution_method,
        cast(null as {{ dbt.type_string() }}) as contract_reference,
        cast(null as {{ dbt.type_string() }}) as invoice_id,
        shared_charges.pool_currency as pricing_currency,
        cast(shared_charges.fx_rate as {{ type_fx_rate() }}) as pricing_to_billing_exchange_rate,
        shared_charges.allocation_method as allocated_method_id,
        shared_charges.allocated_ratio,
        {{ json_object([
            ('AllocatedRatio', 'shared_charges.allocated_ratio', 'ratio'),
            ('UsageUnit', "'Requests'"),
            ('UsageQuantity', 'shared_charges.eligible_requests', 'number'),
        ]) }} as allocated_method_details,
        {{ dbt.concat([
            'shared_charges.cost_pool', "'/'", 'cast(shared_charges.period_month as ' ~ dbt.type_string() ~ ')',
        ]) }} as allocation_origin_id,
        shared_charges.allocation_origin_cost
    from shared_charges
),

capacity_charges as (
    select
        {{ surrogate_key([
            "'capacity'", 'capacity_pool', 'period_key', 'period_month', 'team_id', 'product_id',
            'environment', 'scenario_id', 'capacity_charge',
        ]) }} as charge_key,
        'capacity' as charge_kind,
        period_month,
        billing_month,
        charge_billing_period_start as billing_period_starts_at,
        charge_billing_period_end as billing_period_ends_at,
        charge_billing_period_start as charge_period_start,
        charge_billing_period_end as charge_period_end,
        'Purchase' as charge_category,
        'Recurring' as charge_frequency,
        {{ dbt.concat([
            "'Capacity pool '", 'capacity_pool', "' ('", 'provider', "')'",
            "case when capacity_charge = 'used' then ': capacity used' else ': idle capacity' end",
        ]) }} as charge_description,
        case when is_billed_by_provider then provider end as provider,
        cast(null as {{ dbt.type_string() }}) as publisher_name,
        case when is_billed_by_provider then 'provider' else 'platform' end as issuer_kind,
        team_id,
        product_id,
        environment,
        scenario_id,
        cast(null as {{ dbt.type_string() }}) as resource_id,
        {%- set sku_issuer = "case when is_billed_by_provider then provider else 'platform' end" %}
        {{ dbt.concat([sku_issuer, "'/capacity/'", 'capacity_pool']) }} as sku_id,
        {{ dbt.concat([
            sku_issuer, "'/capacity/'", 'capacity_pool', "'/'", 'period_key',
        ]) }} as sku_price_id,
        'Standard' as pricing_category,
        cast(cast(pool_share as decimal(13, 12)) as decimal(38, 12)) as pricing_quantity,
        'Capacity periods' as pricing_unit,
        cast(null as decimal(38, 6)) as consumed_quantity,
        cast(null as {{ dbt.type_string() }}) as consumed_unit,
        cast(pool_amount_reporting as {{ type_billing_money() }}) as list_unit_price,
        cast(pool_amount_reporting as {{ type_billing_money() }}) as contracted_unit_price,
        cast(cast(pool_amount_reporting as decimal(24, 12)) * cast(pool_share as decimal(13, 12)) as {{ type_billing_money() }})
            as list_cost,
        cast(cast(pool_amount_reporting as decimal(24, 12)) * cast(pool_share as decimal(13, 12)) as {{ type_billing_money() }})
            as contracted_cost,
        cast(allocated_capacity_cost as {{ type_billing_money() }}) as billed_cost,
        cast(allocated_capacity_cost as {{ type_billing_money() }}) as effective_cost,
        cast(null as {{ dbt.type_string() }}) as model_id,
        cast(null as {{ dbt.type_string() }}) as token_type,
        cast(null as {{ dbt.type_string() }}) as token_direction,
        cast(null as {{ dbt.type_string() }}) as token_cache_action,
        cast(null as {{ dbt.type_string() }}) as cost_type,
        cast(null as boolean) as is_priced,
        cast(null as {{ dbt.type_string() }}) as attribution_method,
        cast(null as {{ dbt.type_string() }}) as contract_reference,
        invoice_id,
        pool_currency as pricing_currency,
        cast(
            case when pool_amount = 0 then 1 else pool_amount_reporting / pool_amount end as {{ type_fx_rate() }}
        ) as pricing_to_billing_exchange_rate,
        {{ dbt.concat(["'weighted_tokens_'", 'capacity_charge']) }} as allocated_method_id,
        pool_share as allocated_ratio,
        {{ json_object([
            ('AllocatedRatio', 'pool_share', 'ratio'),
            ('UsageUnit', "'Weighted tokens'"),
            ('UsageQuantity', 'weighted_tokens', 'decimal', 6),
        ]) }} as allocated_method_details,
        {{ dbt.concat([
            'capacity_pool', "'/'", 'period_key',
        ]) }} as allocation_origin_id,
        cast(pool_amount_reporting as {{ type_billing_money() }}) as allocation_origin_cost
    from capacity_allocations
),

unioned as (
    select * from token_charges
    union all
    select * from invoice_owner_charges
    union all
    select * from platform_charges
    union all
    select * from capacity_charges
),

{#- the provider's name: the platform's for shared costs, else seed focus_providers' name, else its id #}
{%- set provider_name -%}
    case
        when unioned.issuer_kind = 'platform' then '{{ platform_provider }}'
        else coalesce(focus_providers.provider_name, unioned.provider)
    end
{%- endset %}

final as (
    select
        unioned.charge_key,
        unioned.charge_kind,
        unioned.period_month,
        unioned.billing_month,
        unioned.billing_period_starts_at as billing_period_start,
        unioned.billing_period_ends_at as billing_period_end,
        unioned.charge_period_start,
        unioned.charge_period_end,
        unioned.charge_category,
        unioned.charge_frequency,
        unioned.charge_description,
        '{{ reporting_currency }}' as billing_currency,
        case
            when unioned.issuer_kind = 'platform' then 'platform'
            else unioned.provider
        end as billing_account_id,
        {{ provider_name }} as billing_account_name,
        {{ provider_name }} as provider_name,
        coalesce(unioned.publisher_name, {{ provider_name }}) as publisher_name,
        case
            when unioned.issuer_kind = 'platform' then '{{ platform_provider }}'
            else coalesce(focus_providers.invoice_issuer_name, focus_providers.provider_name, unioned.provider)
        end as invoice_issuer_name,
        case
            when unioned.issuer_kind = 'platform' then replace(unioned.sku_id, 'platform/', '')
            else coalesce(focus_providers.service_name, unioned.provider)
        end as service_name,
        '{{ service_category }}' as service_category,
        unioned.team_id as sub_account_id,
        case when unioned.team_id is not null then coalesce(teams.team_name, unioned.team_id) end as sub_account_name,
        unioned.resource_id,
        unioned.resource_id as resource_name,
        case when unioned.resource_id is not null then 'Gateway API key' end as resource_type,
        unioned.sku_id,
        unioned.sku_price_id,
        unioned.pricing_category,
        unioned.pricing_quantity,
        unioned.pricing_unit,
        unioned.consumed_quantity,
        unioned.consumed_unit,
        unioned.list_unit_price,
        unioned.contracted_unit_price,
        unioned.list_cost,
        unioned.contracted_cost,
        unioned.billed_cost,
        unioned.effective_cost,
        case
            when unioned.team_id is not null
                then {{ json_object([
                    ('team', 'unioned.team_id'),
                    ('product', 'unioned.product_id'),
                    ('environment', 'unioned.environment'),
                    ('scenario', 'unioned.scenario_id'),
                    ('cost_center', 'teams.cost_center'),
                ]) }}
        end as tags,
        unioned.provider,
        unioned.model_id,
        unioned.token_type,
        unioned.token_direction,
        unioned.token_cache_action,
        unioned.cost_type,
        unioned.is_priced,
        unioned.attribution_method,
        unioned.team_id,
        unioned.product_id,
        unioned.environment,
        unioned.scenario_id,
        teams.cost_center,
        confidence.confidence_score as showback_confidence,
        case
            when confidence.is_chargeback_ready then 'chargeback'
            when confidence.team_id is not null then 'showback'
        end as billing_mode,
        unioned.contract_reference,
        unioned.invoice_id,
        unioned.pricing_currency,
        unioned.pricing_to_billing_exchange_rate,
        unioned.allocated_method_id,
        unioned.allocated_ratio,
        unioned.allocated_method_details,
        unioned.allocation_origin_id,
        unioned.allocation_origin_cost
    from unioned
    left join focus_providers
        on unioned.provider = focus_providers.provider
    left join teams
        on unioned.team_id = teams.team_id
    left join confidence
        on unioned.period_month = confidence.period_month
        and unioned.team_id = confidence.team_id
)

select * from final
