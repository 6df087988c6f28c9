{#
    Parses an ISO-8601 text timestamp with an offset or a trailing Z ('2026-05-31T20:30:00Z',
    '2026-06-01T01:30:00+05:00') into a timestamp without time zone holding UTC wall time.
    Text that is not a timestamp gives null (staging quarantines it), never an error.
#}
{% macro parse_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'ai_chargeback')(expression)) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(expression) -%}
    cast(cast({{ expression }} as timestamp with time zone) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}

{% macro spark__parse_utc_timestamp(expression) -%}
    to_utc_timestamp(try_cast({{ expression }} as timestamp), 'UTC')
{%- endmacro %}
