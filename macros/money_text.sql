{#
    An amount as text with two decimals ('-5.89'), for sentences that explain a figure.
    The cast to two decimals rounds half away from zero on DuckDB, Postgres and Spark.
#}
{% macro money_text(expression) -%}
    cast(cast({{ expression }} as decimal(38, 2)) as {{ dbt.type_string() }})
{%- endmacro %}
