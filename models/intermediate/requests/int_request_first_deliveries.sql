/*
    Which record counts for a call logged more than once: one row per match_key shared by two
    or more clean records, with the first delivery, and one key of each run's load (below).

    Rule (DECISIONS.md, "Several request sources"): among the clean records sharing a
    match_key (the provider's response id, else the source's request id), the record of the
    preferred source counts (gateway, then litellm, then otel, then bedrock); within a source
    the first delivery (request id, file name, line, then its order in the file). Every other
    record with the key is a duplicate (int_requests_unioned). A key with one record is not
    listed: its record counts, and int_requests_unioned joins only the few shared keys.

    Narrow and incremental: landed records never change and the first of a set only changes
    when a record joins the set, so a run ranks every record of the keys that have a record
    loaded since the last run (loaded_at above the watermark), and replaces those keys' rows.
    A full build finds the shared keys by grouping the keys' hashes first (key_hash: 64-bit on
    DuckDB), then only the keys of a hash seen twice by their text: about half the time of
    grouping 10 million keys as text. Each run also lists one key of the records it ranked
    (the greatest), shared or not (record_count 1): its last_loaded_at keeps the watermark in
    a warehouse where no key is shared, which would otherwise rank every key on every run. A
    listed key of one record is that record's own first delivery, as an unlisted key is.
    last_loaded_at is the watermark: the latest load a row has seen. A key that had one record
    enters the table when a second one arrives.
    record_count: how many clean records share the key (2 or more; 1 for a watermark key).
    first_record_key: a hash of the first record's (source_system, source_file, record_seq),
    which int_requests_unioned compares with each record's own.
    first_content_hash: the first record's fields (request_content_columns), to tell a
    redelivery from a conflicting record.
*/

{{ config(
    materialized=keyed_incremental_materialization(),
    unique_key='match_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{%- set since_watermark = none %}
{%- if execute and is_incremental() %}
    {%- set watermark = run_query('select max(last_loaded_at) from ' ~ this).columns[0].values()[0] %}
    {%- if watermark is not none %}
        {%- set since_watermark = "loaded_at > cast('" ~ watermark ~ "' as " ~ dbt.type_timestamp() ~ ")" %}
    {%- endif %}
{%- endif %}

{%- if since_watermark is not none %}
    {%- set candidate_keys -%}
        match_key in (
            select new_records.match_key from {{ ref('int_requests_landed') }} as new_records
            where new_records.match_key is not null and new_records.{{ since_watermark }}
        )
    {%- endset %}
{%- else %}
    {#- and the watermark key, which may have one record (an incremental run's new keys hold it) -#}
    {%- set candidate_keys -%}
        (
            {{ key_hash('match_key') }} in (
                select {{ key_hash('every_record.match_key') }}
                from {{ ref('int_requests_landed') }} as every_record
                where every_record.match_key is not null
                group by {{ key_hash('every_record.match_key') }}
                having count(*) > 1
            )
            or match_key in (select watermark_key.match_key from watermark_key)
        )
    {%- endset %}
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
        {%- for column in request_content_columns() %}
            {{ column }},
        {%- endfor %}
        loaded_at
    from {{ ref('int_requests_landed') }}
    where match_key is not null
),

-- One key of the records this run ranks is listed even when no other record shares it, so
-- that the table always carries the latest load it has seen (last_loaded_at, the watermark):
-- without it a warehouse with no shared key would rank every key again on every run.
watermark_key as (
    select max(match_key) as match_key
    from {{ ref('int_requests_landed') }}
    where {{ since_watermark or '1 = 1' }}
),

-- The keys that may have changed: in an incremental run the keys with a record loaded since
-- the watermark (the watermark key is one of them); in a full build every key, first grouped
-- by its hash (a narrow value), so that only the keys of a hash seen twice are counted by
-- their text (a collision only adds a candidate, which the count drops)
shared_keys as (
    select
        match_key,
        count(*) as record_count,
        max(loaded_at) as last_loaded_at
    from {{ ref('int_requests_landed') }}
    where
        match_key is not null
        and {{ candidate_keys }}
    group by match_key
    having
        count(*) > 1
        or match_key in (select watermark_key.match_key from watermark_key)
),

ranked as (
    select
        landed.*,
        shared_keys.record_count,
        shared_keys.last_loaded_at,
        row_number() over (
            partition by landed.match_key
            order by
                landed.source_precedence asc,
                landed.request_id asc,
                landed.source_file asc,
                landed.source_line asc,
                landed.record_seq asc
        ) as delivery_rank
    from landed
    inner join shared_keys
        on landed.match_key = shared_keys.match_key
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
        {{ content_hash(request_content_columns()) }} as first_content_hash,
        {{ content_hash(['source_system', 'source_file', 'record_seq']) }} as first_record_key,
        record_count,
        last_loaded_at
    from ranked
    where delivery_rank = 1
)

select * from final
