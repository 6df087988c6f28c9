{#
    A number as plain decimal text with `scale` decimal places ('0.000000171074'), the same on
    every engine. DuckDB and Postgres write a decimal plainly. Spark writes some decimals in
    Java's scientific form ('1.71074E-7', when the value came from a double and is below
    1e-6), so its variant formats the digits itself (format_number, without the thousands
    separators).
#}
{% macro decimal_text(expression, scale) -%}
    {{ return(adapter.dispatch('decimal_text', 'ai_chargeback')(expression, scale)) }}
{%- endmacro %}

{% macro default__decimal_text(expression, scale) -%}
    cast(cast({{ expression }} as decimal(38, {{ scale }})) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__decimal_text(expression, scale) -%}
    replace(format_number(cast({{ expression }} as decimal(38, {{ scale }})), {{ scale }}), ',', '')
{%- endmacro %}
