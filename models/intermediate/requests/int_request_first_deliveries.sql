/*
    Which record counts for each call: one row per match_key, the first delivery.

    Rule (DECISIONS.md, "Several request sources"): among the clean records sharing a
    match_key (the provider's response id, else the source's request id), the record of the
    preferred source counts (gateway, then litellm, then otel, then bedrock); within a source
    the first delivery (request id, file name, line, then its order in the file). Every other
    record with the key is a duplicate (int_requests_unioned).

    Narrow and incremental: landed records never change and the first of a set only changes
    when a record joins the set, so a run ranks the records loaded since the last run
    (loaded_at above the watermark) together with the current first record of their keys, and
    replaces those keys' rows. last_loaded_at is the watermark: the latest load a row has seen.
    record_count: how many clean records share the key (1 when the call was not duplicated),
    so that the duplicates are found among the few keys above 1 (fct_duplicate_requests).
    first_record_key: a hash of the first record's (source_system, source_file, record_seq),
    which int_requests_unioned compares with each record's own: the join of every landed
    record to its key then holds two short values per key instead of the file's path, and the
    request views it feeds fit in memory at 10 million records.
*/

{{ config(
    materialized='incremental',
    unique_key='match_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{%- set since_watermark = '1 = 1' %}
{%- if execute and is_incremental() %}
    {%- set watermark = run_query('select max(last_loaded_at) from ' ~ this).columns[0].values()[0] %}
    {%- if watermark is not none %}
        {%- set since_watermark = "loaded_at > cast('" ~ watermark ~ "' as " ~ dbt.type_timestamp() ~ ")" %}
    {%- endif %}
{%- endif %}

with

landed as (
    select
        match_key,
        source_precedence,
        request_id,
        source_file,
        source_line,
        record_seq,
        source_system,
        content_hash,
        1 as record_count,
        loaded_at
    from {{ ref('int_requests_landed') }}
    where match_key is not null and {{ since_watermark }}
),

-- The current first record of each key that has a new record (none in a full build).
current_firsts as (
    {%- if is_incremental() %}
        select
            match_key,
            first_source_precedence as source_precedence,
            first_request_id as request_id,
            first_source_file as source_file,
            first_source_line as source_line,
            first_record_seq as record_seq,
            first_source_system as source_system,
            first_content_hash as content_hash,
            record_count,
            last_loaded_at as loaded_at
        from {{ this }}
        where match_key in (select landed.match_key from landed)
    {%- else %}
        select * from landed
        where 1 = 0
    {%- endif %}
),

candidates as (
    select * from landed
    union all
    select * from current_firsts
),

ranked as (
    select
        *,
        row_number() over (
            partition by match_key
            order by source_precedence, request_id, source_file, source_line, record_seq
        ) as delivery_rank,
        max(loaded_at) over (partition by match_key) as last_loaded_at,
        sum(record_count) over (partition by match_key) as records_with_key
    from candidates
),

final as (
    select
        match_key,
        source_precedence as first_source_precedence,
        request_id as first_request_id,
        source_file as first_source_file,
        source_line as first_source_line,
        record_seq as first_record_seq,
        source_system as first_source_system,
        content_hash as first_content_hash,
        {{ content_hash(['source_system', 'source_file', 'record_seq']) }} as first_record_key,
        records_with_key as record_count,
        last_loaded_at
    from ranked
    where delivery_rank = 1
)

select * from final
