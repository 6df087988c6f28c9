{#
    The CTEs every usage and cost report page model (OpenAI's and Anthropic's Admin APIs)
    starts with after its import CTE `pages`: buckets_flattened (usage_page_buckets),
    results_flattened (usage_bucket_results) and results_located, one row per result with the
    columns of usage_page_columns (its file, delivery, bucket, result, raw_record and the
    bucket's start and end in UTC). The model's `renamed` CTE selects from results_located and
    adds the result's own fields:

        {{ usage_page_ctes('source', 'start_time', 'end_time', unix_seconds=true) }},

        renamed as (select *, ... from results_located),
#}
{% macro usage_page_ctes(pages, start_field, end_field, unix_seconds=false) -%}
buckets_flattened as (
    {{ usage_page_buckets(pages) }}
),

results_flattened as (
    {{ usage_bucket_results('buckets_flattened') }}
),

results_located as (
    select
        {{ usage_page_columns(start_field, end_field, unix_seconds) }}
    from results_flattened
)
{%- endmacro %}
