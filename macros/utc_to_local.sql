{#
    Converts a timestamp without time zone that holds UTC wall time into the wall time of an
    IANA time zone ('Asia/Almaty'), as a timestamp without time zone. `timezone` is a zone
    name; pass `timezone_is_column=true` to use a column holding zone names instead.
#}
{% macro utc_to_local(expression, timezone, timezone_is_column=false) -%}
    {%- set zone = timezone if timezone_is_column else "'" ~ timezone ~ "'" -%}
    {{ return(adapter.dispatch('utc_to_local', 'ai_chargeback')(expression, zone)) }}
{%- endmacro %}

{% macro default__utc_to_local(expression, timezone) -%}
    cast(({{ expression }} at time zone 'UTC') at time zone {{ timezone }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__utc_to_local(expression, timezone) -%}
    timezone({{ timezone }}, timezone('UTC', {{ expression }}))
{%- endmacro %}

{% macro spark__utc_to_local(expression, timezone) -%}
    from_utc_timestamp({{ expression }}, {{ timezone }})
{%- endmacro %}
