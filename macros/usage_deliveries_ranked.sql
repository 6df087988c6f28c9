{#
    Body of a usage report page model's deliveries_ranked CTE: the rows of `pages` (with
    page_kind, the endpoint, and usage_bucket_day_columns) with the two facts redelivery is
    decided on, per endpoint: bucket_latest_file, the latest delivery holding a readable bucket
    with the same start, and day_latest_bucket_seconds, the width of the buckets the latest
    delivery of the same UTC day gives (readable buckets first, the narrowest on a tie).
#}
{% macro usage_deliveries_ranked(pages) -%}
    select
        *,
        -- only readable buckets of one UTC day take part
        max(case when is_readable_bucket then delivery_key end) over (partition by page_kind, bucket_start_at)
            as bucket_latest_file,
        first_value(bucket_seconds) over (
            partition by page_kind, usage_date
            order by case when is_readable_bucket then 0 else 1 end asc, delivery_key desc, bucket_seconds asc
        ) as day_latest_bucket_seconds
    from {{ pages }}
{%- endmacro %}
