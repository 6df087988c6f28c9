{#
    No row has a null in any of the given columns. One test a model (and `where`) instead of
    one not_null test a column: a single scan of the relation counts the nulls of every
    column, and the test returns one row for each column that has any, with the count. A dbt
    test node costs about 50 ms of dbt's own work whatever its query, and the 122 column
    not_null tests this replaced were a third of every build's test nodes (BENCHMARKS.md,
    "One not-null test a model"). A key column keeps its own unique + not_null pair.
#}
{% test no_nulls_in(model, columns) %}

with

null_counts as (
    select
        {%- for column in columns %}
        sum(case when {{ column }} is null then 1 else 0 end) as nulls_{{ loop.index }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

columns_with_nulls as (
    {%- for column in columns %}
    select
        '{{ column }}' as column_name,
        nulls_{{ loop.index }} as rows_with_null
    from null_counts
    where nulls_{{ loop.index }} > 0
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
)

select * from columns_with_nulls

{% endtest %}
