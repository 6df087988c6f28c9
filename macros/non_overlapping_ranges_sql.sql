{# The rows of non_overlapping_ranges: each pair of overlapping ranges of the same key. #}
{% macro non_overlapping_ranges_sql(model, partition_by, lower_bound, upper_bound) %}
with

ranges as (
    select
        {{ surrogate_key(partition_by) }} as range_key,
        {{ partition_by | join(', ') }},
        {{ lower_bound }} as range_start,
        {{ upper_bound }} as range_end,
        row_number() over (
            partition by {{ partition_by | join(', ') }}
            order by {{ lower_bound }}
        ) as range_number
    from {{ model }}
),

overlapping_ranges as (
    select
        earlier.range_key,
        {%- for column in partition_by %}
        earlier.{{ column }},
        {%- endfor %}
        earlier.range_start as earlier_start,
        earlier.range_end as earlier_end,
        later.range_start as later_start,
        later.range_end as later_end
    from ranges as earlier
    inner join ranges as later
        on earlier.range_key = later.range_key
        and earlier.range_number < later.range_number
    where earlier.range_end is null
        or later.range_start < earlier.range_end
)

select * from overlapping_ranges
{% endmacro %}
