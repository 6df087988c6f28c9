{# A price per million tokens, as the price table states it (12 decimals: the catalogue's precision). #}
{% macro type_price_per_mtok() -%}decimal(24, 12){%- endmacro %}
