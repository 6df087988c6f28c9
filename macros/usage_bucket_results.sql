{#
    The results of each bucket of a usage or cost report page (usage_page_buckets): one row per
    result; a bucket without results is kept once with a null result, a page whose data is an
    empty list gives no row.
#}
{% macro usage_bucket_results(buckets) -%}
    select
        {{ buckets }}._source_file,
        {{ buckets }}._source_line,
        {{ buckets }}._raw_document,
        {{ buckets }}.bucket_record,
        result.element as result_record
    from {{ buckets }}
    {{ json_array_elements(json_text(buckets ~ '.bucket_record', 'results'), 'result', keep_empty=true) }}
    where
        {{ buckets }}.bucket_record is not null
        or coalesce(replace({{ buckets }}.data_text, ' ', ''), '') != '[]'
{%- endmacro %}
