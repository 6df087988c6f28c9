{#
    True when a report page's bucket (bucket_start_at, bucket_end_at) is readable and lies within
    one UTC day: it ends after it starts and its last second is on the day it starts on. Only
    such buckets take part in choosing a day's latest delivery; any other is quarantined.
#}
{% macro usage_bucket_is_one_utc_day() -%}
    bucket_end_at > bucket_start_at
    and cast(bucket_start_at as date) = cast({{ dbt.dateadd('second', -1, 'bucket_end_at') }} as date)
{%- endmacro %}
