{#
    The usage and cost report pages of OpenAI's and Anthropic's Admin APIs share one shape: a
    document with a `data` list of time buckets, each with a list of `results`. This macro and
    usage_bucket_results give the bodies of the two flattening CTEs of usage_page_ctes:

        buckets_flattened as ({{ usage_page_buckets('source') }}),
        results_flattened as ({{ usage_bucket_results('buckets_flattened') }}),

    A bucket without results is kept once with a null result (it still says "nothing that
    day"); a page whose data is an empty list holds nothing; any other document without
    buckets is kept, with a null bucket, to be quarantined.
#}
{% macro usage_page_buckets(pages) -%}
    select
        {{ pages }}._source_file,
        {{ pages }}._source_line,
        {{ pages }}._raw_document,
        {{ json_text(pages ~ '._raw_document', 'data') }} as data_text,
        bucket.element as bucket_record
    from {{ pages }}
    {{ json_array_elements(json_text(pages ~ '._raw_document', 'data'), 'bucket', keep_empty=true) }}
{%- endmacro %}
