{# An exchange rate. #}
{% macro type_fx_rate() -%}decimal(18, 8){%- endmacro %}
