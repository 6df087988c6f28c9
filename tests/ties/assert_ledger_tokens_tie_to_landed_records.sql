/*
    The ledger holds exactly the tokens of the clean landed records that no other source logged
    first, per file and token type:
    pricing, attribution and conversion never add or lose a token. Fails with the files and
    token types whose sums differ. The audio and image tokens, web and file search calls and
    code execution sessions tie the same way.
*/

{%- set summed = [
    'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens',
    'input_audio_tokens', 'cache_audio_read_tokens', 'output_audio_tokens', 'input_image_tokens',
    'cache_image_read_tokens', 'output_image_tokens', 'web_search_calls', 'file_search_calls',
    'code_execution_sessions', 'reasoning_tokens',
] %}

with

-- the clean landed records that no other source logged first
landed_records as (
    select * from {{ ref('int_requests_unioned') }}
    where record_issue is null and not is_duplicate
),

ledger_records as (
    select * from {{ ref('fct_request_costs') }}
),
{%- for side in ['landed', 'ledger'] %}

    {{ side }} as (
        select
            source_file,
            {%- for quantity in summed %}
                sum({{ quantity }}) as {{ quantity }},
            {%- endfor %}
            count(*) as requests
        from {{ side }}_records
        group by source_file
    ){{ ',' if not loop.last }}
{%- endfor %}

{{ totals_that_differ('landed', 'ledger', ['source_file'], ['requests'] + summed, missing_side_fails=true) }}
