{#
    An amount times an exchange rate, exact: decimal(24,12) x decimal(14,8) = decimal(38,20)
    on every engine (Spark keeps the scale because the product fits 38 digits). Converted
    amounts are not rounded per row: rounding to the currency's minor unit happens once, where
    a report presents a total (DECISIONS.md, "Rounding").
#}
{% macro convert_currency(amount, rate) -%}
    (cast({{ amount }} as decimal(24, 12)) * cast({{ rate }} as decimal(14, 8)))
{%- endmacro %}
