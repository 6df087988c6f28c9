{#
    Layers land in schemas named after the layer (staging, intermediate, marts, reference),
    not in "<target schema>_<layer>": BI tools and the finance pack address marts.<model>.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
