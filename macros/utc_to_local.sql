{#
    Converts a timestamp without time zone that holds UTC wall time into the wall time of an
    IANA time zone ('Asia/Almaty'), as a timestamp without time zone.
#}
{% macro utc_to_local(expression, timezone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'ai_chargeback')(expression, timezone)) }}
{%- endmacro %}

{% macro default__utc_to_local(expression, timezone) -%}
    cast(({{ expression }} at time zone 'UTC') at time zone '{{ timezone }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__utc_to_local(expression, timezone) -%}
    timezone('{{ timezone }}', timezone('UTC', {{ expression }}))
{%- endmacro %}

{% macro spark__utc_to_local(expression, timezone) -%}
    from_utc_timestamp({{ expression }}, '{{ timezone }}')
{%- endmacro %}
