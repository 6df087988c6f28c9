/*
    Every staged request record of every request source, loaded once: an incremental table
    that appends the records of the files it has not loaded yet (landed files are append-only),
    so that a run parses only new files. Sources: the canonical gateway log, LiteLLM spend logs,
    OpenTelemetry GenAI spans and Bedrock invocation logs (their staging models share one shape
    and one set of checks); a source without files contributes nothing. source_precedence
    orders the sources for counting a call logged twice (int_requests_unioned).

    Computed once, as a record is loaded: match_key (the provider's response id, else the
    source's request id; null for a quarantined record), record_seq (the record's order within
    its file: line, then request id, then content, so that a file without line numbers still
    numbers each record once) and loaded_at (the run that loaded it, the watermark of
    int_request_first_deliveries).

    record_seq without sorting every record: where a file holds one record per line (JSON
    Lines read with line numbers, Parquet rows) the line is already the record's unique
    position, so record_seq is the line. Only records that share a line (an OpenTelemetry
    export batch) or come without a line (gzip-compressed JSON Lines, LiteLLM CSV) are ranked,
    by line, request id and content. Ranking every record instead carried all 50 columns
    through a sort that spilled to disk at 10 million records (DECISIONS.md, "Performance").
    The text of a field as landed (raw_record, *_landed) is kept for quarantined records only:
    it is what their reason quotes, and a clean record's typed fields say the same.
*/

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

{%- set new_files_only = files_already_loaded(this) %}

{#- (staging model, precedence, one record per line when the line is known) #}
{%- set request_sources = [
    ('stg_gateway__requests', 1, true),
    ('stg_litellm__spend_logs', 2, true),
    ('stg_otel__genai_spans', 3, false),
    ('stg_bedrock__invocation_logs', 4, true),
] %}

{%- set match_key -%}
    case when record_issue is null then coalesce(provider_response_id, request_id) end
{%- endset %}

{#- Each branch below reads its staging model itself: DuckDB stores a CTE that is read twice,
    every column of every record. #}

with

-- one record per line: the line is the record's position
numbered_by_line as (
    {%- for model, precedence, one_per_line in request_sources if one_per_line %}
        {{ 'union all' if not loop.first }}
        select
            *,
            {{ precedence }} as source_precedence,
            {{ match_key }} as match_key,
            source_line as record_seq
        from {{ ref(model) }}
        where ({{ new_files_only }}) and source_line is not null
    {%- endfor %}
),

-- records that share a line, or come without one: ranked within their file
records_to_rank as (
    {%- for model, precedence, one_per_line in request_sources %}
        {{ 'union all' if not loop.first }}
        select
            *,
            {{ precedence }} as source_precedence,
            {{ match_key }} as match_key
        from {{ ref(model) }}
        where
            ({{ new_files_only }})
            {%- if one_per_line %}
                -- a Parquet row always has its number: the format test lets the engine skip
                -- reading Parquet files here at all
                and source_line is null
                and source_format <> 'parquet'
            {%- endif %}
    {%- endfor %}
),

numbered_by_rank as (
    select
        *,
        row_number() over (
            partition by source_system, source_file
            order by source_line, request_id, {{ content_hash(request_content_columns()) }}
        ) as record_seq
    from records_to_rank
),

unioned as (
    select * from numbered_by_line
    union all
    select * from numbered_by_rank
),

final as (
    select
        {%- for column in canonical_request_columns() %}
            {%- if column in ['raw_record', 'occurred_at_landed', 'input_tokens_landed', 'output_tokens_landed'] %}
                case when record_issue is not null then {{ column }} end as {{ column }},
            {%- else %}
                {{ column }},
            {%- endif %}
        {%- endfor %}
        record_issue,
        source_precedence,
        match_key,
        record_seq,
        {{ utc_now() }} as loaded_at
    from unioned
)

select * from final
