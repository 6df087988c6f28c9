{#
    Largest-remainder rounding as a window expression: the parts `exact` of each `partition_by`
    group, in whole cents, adding up exactly to round(total, 2) in cents. Each part is floored
    to the cent; the cents still missing go one each to the parts that lost most in rounding
    (ties by `order_by`); when flooring overshoots (negative totals), cents are taken back from
    the parts that lost least. No part moves by a cent or more. Returns a bigint of cents.
#}
{% macro largest_remainder_cents(exact, total, partition_by, order_by) -%}
    {%- set partition = partition_by | join(', ') -%}
    {%- set floored = 'cast(floor((' ~ exact ~ ') * 100) as ' ~ dbt.type_bigint() ~ ')' -%}
    {%- set remainder = '((' ~ exact ~ ') * 100 - floor((' ~ exact ~ ') * 100))' -%}
    {%- set missing = 'cast(round((' ~ total ~ ') * 100, 0) as ' ~ dbt.type_bigint() ~ ') - sum(' ~ floored ~ ') over (partition by ' ~ partition ~ ')' -%}
    (
        {{ floored }}
        + case
            when {{ missing }} > 0
                and row_number() over (
                    partition by {{ partition }} order by {{ remainder }} desc, {{ order_by | join(', ') }}
                ) <= {{ missing }}
                then 1
            when {{ missing }} < 0
                and row_number() over (
                    partition by {{ partition }} order by {{ remainder }} asc, {{ order_by | join(', ') }}
                ) <= -({{ missing }})
                then -1
            else 0
        end
    )
{%- endmacro %}
