{#
    A share, percentage or score (double precision) rounded to `digits` decimals, as double
    precision. Postgres has no round(double precision, integer): it rounds the value as a
    numeric (its 15 significant digits) and returns a double again.
#}
{% macro round_share(expression, digits) -%}
    {{ return(adapter.dispatch('round_share', 'ai_chargeback')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_share(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_share(expression, digits) -%}
    cast(round(cast({{ expression }} as numeric), {{ digits }}) as {{ type_share() }})
{%- endmacro %}
