{# A price per thousand (calls, requests) as an exact price per single unit (15 decimals). #}
{% macro per_unit_price(price_per_k) -%}
    cast(cast({{ price_per_k }} as {{ type_price_per_mtok() }}) * cast(0.001 as decimal(4, 3)) as {{ type_price_per_token() }})
{%- endmacro %}
