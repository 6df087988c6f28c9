{#
    One seed value as a Spark SQL literal of the column's type (spark__load_csv_rows): null
    for a blank, true or false for a boolean, else the value's exact text, quoted and cast.
#}
{% macro spark_seed_literal(value, type) -%}
    {%- if value is none -%}
        cast(null as {{ type }})
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- else -%}
        {%- set text = value | string -%}
        cast('{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
    {%- endif -%}
{%- endmacro %}
