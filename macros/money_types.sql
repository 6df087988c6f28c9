{#
    Decimal types used for money. Costs stay at 12 decimals until the final rounding; prices
    per million tokens at 6; a price per single token needs 12. Sized so that a product of a
    token count (at most 12 digits) and a per-token price stays within 38 digits on every engine,
    Spark included, without scale loss.
#}
{% macro type_money() -%}decimal(38, 12){%- endmacro %}

{% macro type_price_per_mtok() -%}decimal(18, 6){%- endmacro %}

{% macro type_price_per_token() -%}decimal(24, 12){%- endmacro %}

{% macro type_token_count() -%}decimal(12, 0){%- endmacro %}

{% macro type_fx_rate() -%}decimal(18, 8){%- endmacro %}
