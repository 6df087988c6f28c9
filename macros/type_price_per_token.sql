{# A price per single token (a per-million price scaled by 1e-6, exact). #}
{% macro type_price_per_token() -%}decimal(24, 12){%- endmacro %}
