{# A price per single token (a per-million price scaled by 1e-6, exact); x a token count fits 38 digits. #}
{% macro type_price_per_token() -%}decimal(26, 18){%- endmacro %}
