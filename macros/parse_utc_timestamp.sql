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

{#- Postgres reads words as timestamps ('yesterday', 'now', 'epoch'): only text that starts
    like an ISO date is cast, and a value that still does not convert gives null. -#}
{% macro postgres__parse_utc_timestamp(expression) -%}
    case
        when trim({{ expression }}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
            then cast({{ target.schema }}.chargeback_try_timestamptz({{ expression }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
    end
{%- endmacro %}
