{#
    tokens x price per token, exact in decimal arithmetic (12 decimals). price_per_token comes
    from int_model_prices_prepared, where the per-million price is scaled once per price row.
#}
{% macro cost_of_tokens(tokens, price_per_token) -%}
    {{ round_to_money('cast(' ~ tokens ~ ' as ' ~ type_token_count() ~ ') * ' ~ price_per_token) }}
{%- endmacro %}
