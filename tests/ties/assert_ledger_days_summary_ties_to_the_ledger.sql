/*
    The ledger's daily summary, which every chargeback, reconciliation and product mart rolls
    up from, holds what the ledger holds, UTC day by UTC day: the same number of rows, first
    attempts, tokens of each type and money in every currency, exactly. Fails with the days
    that differ (after an incremental run too: a day it failed to summarise again shows here).
*/

{%- set summed = [
    'first_attempts', 'input_tokens', 'uncached_input_tokens', 'cache_read_tokens',
    'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens', 'reasoning_tokens',
    'cost_price_currency', 'cost_usd', 'cost_reporting', 'list_cost', 'contracted_cost',
    'cache_savings_usd', 'cache_savings_reporting', 'gateway_cost_usd',
    'input_audio_tokens', 'cache_audio_read_tokens', 'output_audio_tokens', 'input_image_tokens',
    'cache_image_read_tokens', 'output_image_tokens', 'web_search_calls', 'file_search_calls',
    'code_execution_sessions', 'audio_image_token_cost', 'tool_call_cost', 'request_fee_cost',
] %}

with

ledger as (
    select
        cast(occurred_at as date) as occurred_on,
        count(*) as requests,
        {%- for column in summed %}
            {%- if column == 'first_attempts' %}
                sum(case when attempt_number = 1 then 1 else 0 end) as first_attempts,
            {%- else %}
                coalesce(sum({{ column }}), 0) as {{ column }},
            {%- endif %}
        {%- endfor %}
        max(priced_at) as last_priced_at
    from {{ ref('fct_request_costs') }}
    group by cast(occurred_at as date)
),

summary as (
    select
        occurred_on,
        sum(requests) as requests,
        {%- for column in summed %}
            coalesce(sum({{ column }}), 0) as {{ column }},
        {%- endfor %}
        max(last_priced_at) as last_priced_at
    from {{ ref('int_ledger_days_summarised') }}
    group by occurred_on
)

{{ totals_that_differ('ledger', 'summary', ['occurred_on'], ['requests'] + summed, missing_side_fails=true) }}
