/*
    Every staged request record of every request source, loaded once: an incremental table
    that appends the records of the files it has not loaded yet (landed files are append-only),
    so that a run parses only new files. Sources: the canonical gateway log, LiteLLM spend logs,
    OpenTelemetry GenAI spans and Bedrock invocation logs (their staging models share one shape
    and one set of checks); a source without files contributes nothing. source_precedence
    orders the sources for counting a call logged twice (int_requests_unioned).

    Computed once, as a record is loaded: match_key (the provider's response id, else the
    source's request id; null for a quarantined record), content_hash (the call's fields, to
    tell a redelivery from a conflicting record), record_seq (the record's order within its
    file: line, then request id, then content, so that a file without line numbers still
    numbers each record once) and loaded_at (the run that loaded it, the watermark of
    int_request_first_deliveries).
*/

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

{%- set new_files_only = files_already_loaded(this) %}

with

gateway_requests as (
    select
        *,
        1 as source_precedence
    from {{ ref('stg_gateway__requests') }}
    where {{ new_files_only }}
),

litellm_requests as (
    select
        *,
        2 as source_precedence
    from {{ ref('stg_litellm__spend_logs') }}
    where {{ new_files_only }}
),

otel_requests as (
    select
        *,
        3 as source_precedence
    from {{ ref('stg_otel__genai_spans') }}
    where {{ new_files_only }}
),

bedrock_requests as (
    select
        *,
        4 as source_precedence
    from {{ ref('stg_bedrock__invocation_logs') }}
    where {{ new_files_only }}
),

unioned as (
    select * from gateway_requests
    union all
    select * from litellm_requests
    union all
    select * from otel_requests
    union all
    select * from bedrock_requests
),

keyed as (
    select
        *,
        case
            when record_issue is null then coalesce(provider_response_id, request_id)
        end as match_key,
        {{ content_hash([
            'occurred_at', 'provider_logged', 'model_logged', 'api_key_id', 'status_code',
            'attempt_number', 'is_batch', 'is_gateway_cache_hit', 'input_tokens', 'cache_read_tokens',
            'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens', 'team_tag', 'product_tag',
            'environment_tag', 'scenario_tag', 'unit_id',
        ]) }} as content_hash
    from unioned
),

final as (
    select
        *,
        row_number() over (
            partition by source_system, source_file
            order by source_line, request_id, content_hash
        ) as record_seq,
        {{ utc_now() }} as loaded_at
    from keyed
)

select * from final
