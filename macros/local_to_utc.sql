{#
    The inverse of utc_to_local: a wall-clock timestamp of an IANA time zone (a zone name, or
    a column of zone names with timezone_is_column) to UTC wall time, without time zone.
#}
{% macro local_to_utc(expression, timezone, timezone_is_column=false) -%}
    {%- set zone = timezone if timezone_is_column else "'" ~ timezone ~ "'" -%}
    {{ return(adapter.dispatch('local_to_utc', 'ai_chargeback')(expression, zone)) }}
{%- endmacro %}

{% macro default__local_to_utc(expression, timezone) -%}
    cast(({{ expression }} at time zone {{ timezone }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__local_to_utc(expression, timezone) -%}
    timezone('UTC', timezone({{ timezone }}, {{ expression }}))
{%- endmacro %}

{% macro spark__local_to_utc(expression, timezone) -%}
    to_utc_timestamp({{ expression }}, {{ timezone }})
{%- endmacro %}
