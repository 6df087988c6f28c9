{# A price per million tokens, as the price table states it. #}
{% macro type_price_per_mtok() -%}decimal(18, 6){%- endmacro %}
