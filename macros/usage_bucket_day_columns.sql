{#
    The day columns of a usage report page's bucket (OpenAI's and Anthropic's usage models):
    usage_date, the UTC day it starts on; bucket_seconds, its width; is_readable_bucket, true
    when it is readable and lies within one UTC day (usage_bucket_is_one_utc_day). For the
    select list of the model's pages_described CTE.
#}
{% macro usage_bucket_day_columns() -%}
    cast(bucket_start_at as date) as usage_date,
    {{ dbt.datediff('bucket_start_at', 'bucket_end_at', 'second') }} as bucket_seconds,
    coalesce({{ usage_bucket_is_one_utc_day() }}, false) as is_readable_bucket
{%- endmacro %}
