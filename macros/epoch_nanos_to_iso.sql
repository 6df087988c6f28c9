{#
    Unix epoch nanoseconds held as text (OTLP/JSON encodes 64-bit integers as decimal strings)
    as an ISO-8601 UTC text timestamp with microseconds ('2026-05-14T09:12:03.118000Z'), the
    form the canonical request carries. Text that is not a whole number gives null.
#}
{% macro epoch_nanos_to_iso(expression) -%}
    {{ return(adapter.dispatch('epoch_nanos_to_iso', 'ai_chargeback')(expression)) }}
{%- endmacro %}

{% macro default__epoch_nanos_to_iso(expression) -%}
    case
        when {{ expression }} ~ '^[0-9]{1,20}$'
            then to_char(
                to_timestamp(cast({{ expression }} as numeric) / 1000000000) at time zone 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
            )
    end
{%- endmacro %}

{% macro duckdb__epoch_nanos_to_iso(expression) -%}
    strftime(make_timestamp(try_cast({{ expression }} as bigint) // 1000), '%Y-%m-%dT%H:%M:%S.%fZ')
{%- endmacro %}

{% macro spark__epoch_nanos_to_iso(expression) -%}
    case
        when {{ expression }} rlike '^[0-9]{1,19}$'
            then date_format(
                timestamp_micros(div(cast({{ expression }} as bigint), 1000)),
                "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"
            )
    end
{%- endmacro %}
