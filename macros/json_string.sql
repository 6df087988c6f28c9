{#
    A text expression as a JSON string literal: wrapped in double quotes, with backslashes
    and double quotes escaped; null stays null. Portable (replace and dbt.concat).
#}
{% macro json_string(expression) -%}
    {{ dbt.concat([
        "'\"'",
        "replace(replace(" ~ expression ~ ", '\\', '\\\\'), '\"', '\\\"')",
        "'\"'",
    ]) }}
{%- endmacro %}
