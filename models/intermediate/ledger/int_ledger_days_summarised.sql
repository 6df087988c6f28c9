/*
    The ledger summed per UTC day and every attribute the marts group or filter by: the one
    pass over the request rows that the chargeback, the reconciliations, the unit costs, the
    tag completeness, the confidence scores and the spikes share. Sums of the ledger's own
    exact columns, so every figure rolled up from here equals the same figure summed from
    fct_request_costs; `requests` and `first_attempts` count its rows.

    Grain: UTC day (occurred_on) x local day x period_month x billing period x provider x model
    x price row x contract row x price currency x FX rate x cost type x priced flag x owner
    (team, product, environment, scenario) x API key x prompt template x how the owner was found
    (attribution method, conflict, shared key, the tag statuses: team, product, environment,
    scenario, cost centre, and whether every extra tag of chargeback__extra_tags was sent).

    The billable quantities besides text tokens (audio and image tokens, tool calls) and the
    parts of the cost they make (audio_image_token_cost, tool_call_cost, request_fee_cost, in
    the price currency and converted row by row like cost_reporting and cost_usd) are summed
    too; the text part of each token count is what remains (int_requests_priced).

    Not here: the distinct unit ids of a scenario (a distinct count does not add up across
    days); int_scenario_months_summarised and int_team_bill_lines_computed count them on the
    ledger.

    Incremental: a run summarises again every UTC day from the first one whose ledger rows
    changed (macro first_changed_ledger_day: the day's row count or latest priced_at differs),
    after its pre-hook removed those days. A day the ledger did not touch is not read.
*/

{{ config(
    materialized='incremental',
    incremental_strategy=ledger_incremental_strategy('append'),
    partition_by=ledger_partition_by('occurred_on'),
    on_schema_change='fail',
    pre_hook=["{{ delete_changed_ledger_days(this, ref('int_request_costs_booked')) }}"],
) }}
-- depends_on: {{ ref('int_request_costs_booked') }}

{%- set first_day = first_changed_ledger_day(ref('int_request_costs_booked'), this) %}

{%- set dimensions = [
    'period_month', 'billing_period_start', 'provider', 'model_canonical', 'price_row_id',
    'contract_row_id', 'price_currency', 'fx_rate', 'reporting_currency', 'cost_type',
    'is_priced', 'team_id', 'product_id', 'environment', 'scenario_id', 'api_key_id',
    'prompt_template_id', 'attribution_method', 'has_attribution_conflict', 'is_shared_key',
    'team_tag_status', 'product_tag_status', 'environment_tag_status', 'scenario_tag_status',
    'cost_center_tag_status', 'extra_tags_status',
] %}
{%- set extra_tags = var('chargeback__extra_tags') %}
{%- set summed = [
    'input_tokens', 'uncached_input_tokens', 'cache_read_tokens', 'cache_write_tokens',
    'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens', 'cost_price_currency',
    'cost_usd', 'cost_reporting', 'list_cost', 'contracted_cost', 'list_cost_usd',
    'contracted_cost_usd', 'cache_savings_usd', 'cache_savings_reporting', 'gateway_cost_usd',
    'input_audio_tokens', 'cache_audio_read_tokens', 'output_audio_tokens', 'input_image_tokens',
    'cache_image_read_tokens', 'output_image_tokens', 'web_search_calls', 'file_search_calls',
    'code_execution_sessions', 'audio_image_token_cost', 'tool_call_cost', 'request_fee_cost',
    'audio_image_token_cost_reporting', 'tool_call_cost_reporting', 'request_fee_cost_reporting',
    'audio_image_token_cost_usd', 'tool_call_cost_usd', 'request_fee_cost_usd',
] %}
{#- the ledger's parts of its cost, converted row by row as cost_reporting and cost_usd are #}
{%- set cost_parts = ['audio_image_token_cost', 'tool_call_cost', 'request_fee_cost'] %}

with

ledger as (
    select
        *,
        {%- for part in cost_parts %}
            {{ convert_currency(part, 'fx_rate') }} as {{ part }}_reporting,
            {{ convert_currency(part, 'fx_rate_to_usd') }} as {{ part }}_usd,
        {%- endfor %}
        -- every extra tag of chargeback__extra_tags sent (valid when none is configured)
        {%- if extra_tags %}
        case
            {%- for tag in extra_tags %}
            when {{ json_text('caller_tags', tag) }} is null then 'missing'
            {%- endfor %}
            else 'valid'
        end as extra_tags_status
        {%- else %}
            'valid' as extra_tags_status
        {%- endif %}
    from {{ ref('int_request_costs_booked') }}
    {%- if is_incremental() %}
        {%- if first_day is none %}
            -- no ledger day changed since the last run
            where 1 = 0
        {%- else %}
            where occurred_at >= cast('{{ first_day }}' as {{ dbt.type_timestamp() }})
        {%- endif %}
    {%- endif %}
),

days_summed as (
    select
        cast(occurred_at as date) as occurred_on,
        cast(occurred_at_local as date) as occurred_on_local,
        {%- for column in dimensions %}
            {{ column }},
        {%- endfor %}
        count(*) as requests,
        cast(sum(case when attempt_number = 1 then 1 else 0 end) as {{ dbt.type_bigint() }}) as first_attempts,
        {%- for column in summed %}
            {%- if column.endswith('_tokens') or column.endswith('_calls') or column.endswith('_sessions') %}
                cast(sum({{ column }}) as {{ dbt.type_bigint() }}) as {{ column }},
            {%- else %}
                sum({{ column }}) as {{ column }},
            {%- endif %}
        {%- endfor %}
        max(priced_at) as last_priced_at
    from ledger
    group by
        {%- for column in dimensions %}
            {{ column }},
        {%- endfor %}
        cast(occurred_at as date),
        cast(occurred_at_local as date)
),

final as (
    select * from days_summed
)

select * from final
