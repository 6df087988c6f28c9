/*
    The ledger holds exactly the tokens of the clean landed records that no other source logged
    first, per file and token type:
    pricing, attribution and conversion never add or lose a token. Fails with the files and
    token types whose sums differ. The audio and image tokens, web and file search calls and
    code execution sessions tie the same way.
*/

{%- set quantities = [
    'input_audio_tokens', 'cache_audio_read_tokens', 'output_audio_tokens', 'input_image_tokens',
    'cache_image_read_tokens', 'output_image_tokens', 'web_search_calls', 'file_search_calls',
    'code_execution_sessions',
] %}

with

landed as (
    select
        source_file,
        count(*) as requests,
        sum(input_tokens) as input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        {%- for quantity in quantities %}
            sum({{ quantity }}) as {{ quantity }},
        {%- endfor %}
        sum(reasoning_tokens) as reasoning_tokens
    from {{ ref('int_requests_unioned') }}
    where record_issue is null and not is_duplicate
    group by source_file
),

ledger as (
    select
        source_file,
        count(*) as requests,
        sum(input_tokens) as input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        {%- for quantity in quantities %}
            sum({{ quantity }}) as {{ quantity }},
        {%- endfor %}
        sum(reasoning_tokens) as reasoning_tokens
    from {{ ref('fct_request_costs') }}
    group by source_file
),

compared as (
    select
        coalesce(landed.source_file, ledger.source_file) as source_file,
        landed.requests as landed_requests,
        ledger.requests as ledger_requests,
        landed.input_tokens as landed_input_tokens,
        ledger.input_tokens as ledger_input_tokens,
        landed.output_tokens as landed_output_tokens,
        ledger.output_tokens as ledger_output_tokens
    from landed
    full outer join ledger
        on landed.source_file = ledger.source_file
    where
        landed.source_file is null
        or ledger.source_file is null
        or landed.requests <> ledger.requests
        or landed.input_tokens <> ledger.input_tokens
        or landed.cache_read_tokens <> ledger.cache_read_tokens
        or landed.cache_write_tokens <> ledger.cache_write_tokens
        or landed.cache_write_1h_tokens <> ledger.cache_write_1h_tokens
        or landed.output_tokens <> ledger.output_tokens
        or landed.reasoning_tokens <> ledger.reasoning_tokens
        {%- for quantity in quantities %}
            or landed.{{ quantity }} <> ledger.{{ quantity }}
        {%- endfor %}
)

select * from compared
