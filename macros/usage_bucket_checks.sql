{#
    The first branches of a usage or cost report page model's record_issue case, the same for
    every such page: a document that is not a page of `document` (no data list of buckets), a
    bucket whose start or end (its fields `start_field` and `end_field`) does not read or that
    ends before it starts, and a bucket that runs over a UTC midnight (a bucket longer than a
    day always does) and so cannot be assigned to one UTC day. The model adds its own
    branches after them (superseded deliveries, unreadable amounts or counts).
#}
{% macro usage_bucket_checks(document, start_field, end_field) -%}
    when bucket_record is null then 'not a {{ document }}: no data list of buckets'
    when bucket_start_at is null or bucket_end_at is null or bucket_end_at <= bucket_start_at
        then 'bucket without a readable {{ start_field }} and {{ end_field }}'
    when
        cast(bucket_start_at as date)
        != cast({{ dbt.dateadd('second', -1, 'bucket_end_at') }} as date)
        then 'bucket runs over a UTC midnight: it cannot be assigned to one UTC day'
{%- endmacro %}
