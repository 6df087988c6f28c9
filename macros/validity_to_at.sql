{#
    The end of a seed row's validity as a UTC timestamp: the valid_to date, or far in the
    future (9999-12-31) when it is blank (open-ended). Validity is [valid_from, valid_to).
#}
{% macro validity_to_at(column='valid_to') -%}
    coalesce(
        cast({{ column }} as {{ dbt.type_timestamp() }}),
        cast('9999-12-31' as {{ dbt.type_timestamp() }})
    )
{%- endmacro %}
