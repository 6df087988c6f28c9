/*
    Landed records that could not enter the ledger, the invoices or the usage comparison, with
    the reason, so that nothing is lost (files that could not be read at all are in
    fct_landed_files): for each request source, landed records = ledger rows + quarantined
    records + duplicates of calls already counted, and for invoices, landed lines = lines used
    + quarantined lines (data tests check both).

    Where: the landed entity, the file and the line (JSON Lines) or row (Parquet) number; a
    gzip-compressed or CSV file has no line number, and identical records of such a file are
    one row here, counted in `occurrences`.

    What, without what must not be kept (DECISIONS.md, "Privacy and secrets"): a record that
    parsed is shown by its contract fields as landed (never the raw record, which may hold
    prompts, responses or user ids); a line that is not valid JSON is shown by its first 120
    characters, with anything that looks like a secret key or a user id masked.
*/

{%- set secret_pattern = '(sk|rk)[-_][A-Za-z0-9_-]{8,}|(AKIA|ASIA)[A-Z0-9]{12,}' %}
{%- set user_pattern = '"user(_id)?" ?: ?"[^"]*"' %}
{#- a quarantined record: where it landed, why, and what it holds #}
{%- set record_columns = [
    'landed_entity', 'source_file', 'source_line', 'source_format', 'quarantine_reason', 'record_key', 'raw_text',
] %}

with

requests as (
    select * from {{ ref('int_requests_unioned') }}
    where record_issue is not null
),

invoice_lines as (
    select * from {{ ref('stg_invoices__invoice_lines') }}
    where record_issue is not null
),

{%- set page_sources = {
    'openai_usage_pages': 'stg_openai__usage',
    'openai_cost_pages': 'stg_openai__costs',
    'anthropic_usage_pages': 'stg_anthropic__usage',
    'anthropic_cost_pages': 'stg_anthropic__costs',
} %}

-- results of provider API pages not used: not a page, an unreadable bucket or count, a
-- bucket delivered again by a later pull, an endpoint the ledger has nothing to compare with
pages_described as (
    {%- for entity, model in page_sources.items() %}
        {{ 'union all' if not loop.first }}
        select
            '{{ entity }}' as landed_entity,
            source_file,
            cast(null as {{ dbt.type_int() }}) as source_line,
            'json' as source_format,
            record_issue as quarantine_reason,
            cast(null as {{ dbt.type_string() }}) as record_key,
            substr(raw_record, 1, 500) as raw_text
        from {{ ref(model) }}
        where record_issue is not null
    {%- endfor %}
),

requests_described as (
    select
        {{ request_landed_entity('source_system') }} as landed_entity,
        source_file,
        source_line,
        source_format,
        record_issue as quarantine_reason,
        request_id as record_key,
        case
            when record_issue like 'malformed record%' or record_issue like 'unreadable%'
                then {{ regex_replace_all(
                    regex_replace_all('substr(raw_record, 1, 120)', secret_pattern, '[secret]'),
                    user_pattern,
                    '"user_id":"[redacted]"'
                ) }}
            else {{ dbt.concat([
                "'request_id='", "coalesce(request_id, '')",
                "' occurred_at='", "coalesce(occurred_at_landed, '')",
                "' provider='", "coalesce(provider_logged, '')",
                "' model='", "coalesce(model_logged, '')",
                "' input_tokens='", "coalesce(input_tokens_landed, '')",
                "' output_tokens='", "coalesce(output_tokens_landed, '')",
            ]) }}
        end as raw_text
    from requests
),

invoice_lines_described as (
    select
        'invoice_lines' as landed_entity,
        source_file,
        cast(null as {{ dbt.type_int() }}) as source_line,
        'csv' as source_format,
        record_issue as quarantine_reason,
        {{ dbt.concat(["coalesce(invoice_id, '')", "'#'", "coalesce(line_id, '')"]) }} as record_key,
        substr(raw_record, 1, 500) as raw_text
    from invoice_lines
),

described as (
    select * from requests_described
    union all
    select * from invoice_lines_described
    union all
    select * from pages_described
),

final as (
    select
        {{ surrogate_key([
            'landed_entity', 'source_file', 'source_line', 'quarantine_reason', 'record_key', 'raw_text',
        ]) }} as quarantined_record_id,
        {{ record_columns | join(',\n        ') }},
        count(*) as occurrences
    from described
    group by
        {{ record_columns | join(',\n        ') }}
)

select * from final
