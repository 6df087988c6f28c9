/*
    Every landed file with what its reader made of it: the records it landed, how many were
    quarantined and how many were duplicates of calls counted from another record, so that a
    file is read (records landed), empty (its reader took it and found no record: a blank JSON
    file, a CSV with a header only) or quarantined (file_issue: no reader can take it).

    A record is what its source calls one: a request-log record (an OpenTelemetry span, not
    its export batch), an invoice or platform cost line, a result of an API page.
*/

{#-
    The records of each source, with how it counts its quarantined records (the platform cost
    lines have no record issue) and its duplicates (only request-log records can duplicate a
    call counted from another record)
#}
{%- set record_counts = [
    ('requests', 'count(record_issue)', 'sum(case when is_duplicate then 1 else 0 end)'),
    ('invoice_lines', 'count(record_issue)', '0'),
    ('platform_costs', '0', '0'),
    ('openai_usage', 'count(record_issue)', '0'),
    ('openai_costs', 'count(record_issue)', '0'),
    ('anthropic_usage', 'count(record_issue)', '0'),
    ('anthropic_costs', 'count(record_issue)', '0'),
] %}

with

files as (
    select * from {{ ref('stg_landing__files') }}
),

requests as (
    select * from {{ ref('int_requests_unioned') }}
),

invoice_lines as (
    select * from {{ ref('stg_invoices__invoice_lines') }}
),

platform_costs as (
    select * from {{ ref('stg_platform__costs') }}
),

openai_usage as (
    select * from {{ ref('stg_openai__usage') }}
),

openai_costs as (
    select * from {{ ref('stg_openai__costs') }}
),

anthropic_usage as (
    select * from {{ ref('stg_anthropic__usage') }}
),

anthropic_costs as (
    select * from {{ ref('stg_anthropic__costs') }}
),

records_counted as (
    {%- for records, quarantined, duplicated in record_counts %}
        select
            source_file,
            count(*) as records_landed,
            {{ quarantined }} as records_quarantined,
            {{ duplicated }} as records_duplicated
        from {{ records }}
        group by source_file
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

records_per_file as (
    select
        source_file,
        sum(records_landed) as records_landed,
        sum(records_quarantined) as records_quarantined,
        sum(records_duplicated) as records_duplicated
    from records_counted
    group by source_file
),

final as (
    select
        files.source_file,
        files.relative_path,
        files.landing_folder,
        files.landed_entity,
        files.file_name,
        files.extension,
        files.reader_format,
        files.compression,
        files.size_bytes,
        files.modified_at,
        case
            when files.file_issue is not null then 'quarantined'
            when coalesce(records_per_file.records_landed, 0) > 0 then 'read'
            else 'empty'
        end as file_status,
        files.file_issue as quarantine_reason,
        coalesce(records_per_file.records_landed, 0) as records_landed,
        coalesce(records_per_file.records_quarantined, 0) as records_quarantined,
        coalesce(records_per_file.records_duplicated, 0) as records_duplicated
    from files
    left join records_per_file
        on files.source_file = records_per_file.source_file
)

select * from final
