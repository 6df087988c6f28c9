{#
    The grain test: no two rows share the same values of the given columns. GROUP BY puts
    nulls in one group, so a null in a key column cannot hide a duplicate. The columns are
    grouped as they are (no hash of their text per row): on the 10-million-row request views
    the hash cost time and the memory of a second key per row.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

duplicated as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as rows_with_this_key
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
)

select * from duplicated

{% endtest %}
