{#
    A share or percentage (double precision, already rounded) as text, written as DuckDB
    writes a double: the shortest form that reads back, with at least one decimal ('57.0',
    '3.44'). Postgres drops the '.0' of a whole number, so it is added back there.
#}
{% macro share_text(expression) -%}
    {{ return(adapter.dispatch('share_text', 'ai_chargeback')(expression)) }}
{%- endmacro %}

{% macro default__share_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__share_text(expression) -%}
    case
        when {{ expression }} = trunc({{ expression }}) then cast({{ expression }} as text) || '.0'
        else cast({{ expression }} as text)
    end
{%- endmacro %}
