{#
    A text expression as a JSON string literal: wrapped in double quotes, with backslashes
    and double quotes escaped; null stays null. Portable (replace and dbt.concat). Spark's
    string literals treat a backslash as an escape character, so its variant doubles them.
#}
{% macro json_string(expression) -%}
    {{ return(adapter.dispatch('json_string', 'ai_chargeback')(expression)) }}
{%- endmacro %}

{% macro default__json_string(expression) -%}
    {{ dbt.concat([
        "'\"'",
        "replace(replace(" ~ expression ~ ", '\\', '\\\\'), '\"', '\\\"')",
        "'\"'",
    ]) }}
{%- endmacro %}

{% macro spark__json_string(expression) -%}
    {{ dbt.concat([
        "'\"'",
        "replace(replace(" ~ expression ~ ", '\\\\', '\\\\\\\\'), '\"', '\\\\\"')",
        "'\"'",
    ]) }}
{%- endmacro %}
