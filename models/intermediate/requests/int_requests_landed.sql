/*
    Every staged request record of every request source, loaded once: an incremental table
    that appends the records of the files it has not loaded yet (landed files are append-only),
    so that a run parses only new files. Sources: the canonical gateway log, LiteLLM spend logs,
    OpenTelemetry GenAI spans and Bedrock invocation logs (their staging models share one shape
    and one set of checks); a source without files contributes nothing. source_precedence
    orders the sources for counting a call logged twice (int_requests_unioned).
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

final as (
    select * from gateway_requests
    union all
    select * from litellm_requests
    union all
    select * from otel_requests
    union all
    select * from bedrock_requests
)

select * from final
