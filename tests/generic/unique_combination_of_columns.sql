{#
    The grain test: no two rows share the same values of the given columns
    (nulls compare equal here, so a null in a key column cannot hide a duplicate).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

keyed as (
    select
        {{ surrogate_key(combination_of_columns) }} as grain_key,
        {{ combination_of_columns | join(', ') }}
    from {{ model }}
),

duplicated as (
    select
        grain_key,
        count(*) as rows_with_this_key
    from keyed
    group by grain_key
    having count(*) > 1
)

select * from duplicated

{% endtest %}
