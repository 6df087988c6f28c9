{# A price per million tokens as an exact price per single token (12 decimals). #}
{% macro per_token_price(price_per_mtok) -%}
    cast(cast({{ price_per_mtok }} as {{ type_price_per_mtok() }}) * cast(0.000001 as decimal(7, 6)) as {{ type_price_per_token() }})
{%- endmacro %}
