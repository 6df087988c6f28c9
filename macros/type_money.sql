{# Money: 12 decimals until the final rounding; 38 digits hold any sum the ledger makes. #}
{% macro type_money() -%}decimal(38, 12){%- endmacro %}
