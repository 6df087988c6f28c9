{#
    A share or ratio (0..1) or a percentage: double precision on every engine (DuckDB's and
    dbt's `float` is single precision, too coarse for shares of large amounts).
#}
{% macro type_share() -%}
    {{ return(adapter.dispatch('type_share', 'ai_chargeback')()) }}
{%- endmacro %}

{% macro default__type_share() -%}double precision{%- endmacro %}

{% macro duckdb__type_share() -%}double{%- endmacro %}

{% macro spark__type_share() -%}double{%- endmacro %}
