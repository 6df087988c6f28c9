{#
    The first columns every usage and cost report page model reads from a result of
    usage_bucket_results: its file, its delivery (usage_page_delivery_key), the bucket and the
    result, raw_record (the result, else the bucket, else the start of the document, with user
    ids masked), and the bucket's start and end as UTC timestamps, read from the bucket's
    `start_field` and `end_field`: ISO-8601 text (Anthropic's starting_at, ending_at), or Unix
    seconds when unix_seconds (OpenAI's start_time, end_time). The select list of
    usage_page_ctes' results_located CTE; the model's `renamed` CTE adds the result's own
    fields after them.
#}
{% macro usage_page_columns(start_field, end_field, unix_seconds=false) -%}
    _source_file as source_file,
    {{ usage_page_delivery_key() }} as delivery_key,
    bucket_record,
    result_record,
    {{ redact_personal_ids('coalesce(result_record, bucket_record, substr(_raw_document, 1, 500))') }} as raw_record,
    {%- for field, column in [(start_field, 'bucket_start_at'), (end_field, 'bucket_end_at')] %}
        {%- if unix_seconds %}
    {#- Unix seconds, written as nanoseconds (nine zeros more) for the shared conversion #}
    {{ parse_utc_timestamp(epoch_nanos_to_iso(dbt.concat([json_text('bucket_record', field), "'000000000'"]))) }}
        as {{ column }}{{ ',' if not loop.last }}
        {%- else %}
    {{ parse_utc_timestamp(json_text('bucket_record', field)) }} as {{ column }}{{ ',' if not loop.last }}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
