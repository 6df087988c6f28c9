{#
    dbt's safe_cast on Spark: try_cast, null when text does not convert (as DuckDB's try_cast),
    whatever spark.sql.ansi.enabled says.
#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
