{#
    The grain test: no two rows share the same values of the given columns. GROUP BY puts
    nulls in one group, so a null in a key column cannot hide a duplicate. The columns are
    grouped as they are (no hash of their text per row): on the 10-million-row request views
    the hash cost time and the memory of a second key per row.
#}
{% test grain_is_unique(model, columns) %}

with

duplicated as (
    select
        {{ columns | join(', ') }},
        count(*) as rows_with_this_key
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from duplicated

{% endtest %}
