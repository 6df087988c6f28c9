{#
    dbt's safe_cast, made safe on DuckDB: text that does not convert gives null (try_cast), so
    that staging quarantines a bad value instead of failing the whole build. dbt resolves
    `dbt.safe_cast` to this project's implementation first.
#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
