{# A token count as a decimal, sized so that count x price per token stays within 38 digits on every engine, Spark included. #}
{% macro type_token_count() -%}decimal(12, 0){%- endmacro %}
