{# The first capture group of a regular expression (RE2 / POSIX subset) in a text, else null. #}
{% macro regex_extract(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_extract', 'ai_chargeback')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract(expression, pattern) -%}
    substring({{ expression }} from '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_extract(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', 1), '')
{%- endmacro %}

{% macro spark__regex_extract(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern | replace('\\', '\\\\') }}', 1), '')
{%- endmacro %}
