{# The build's current time as a UTC timestamp without time zone (as the ledger stores times). #}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now', 'ai_chargeback')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    cast(now() at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__utc_now() -%}
    timezone('UTC', now())
{%- endmacro %}

{% macro spark__utc_now() -%}
    to_utc_timestamp(current_timestamp(), current_timezone())
{%- endmacro %}
