{# Trimmed text with blanks as null: a tag that was sent empty was not sent. #}
{% macro clean_text(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}
