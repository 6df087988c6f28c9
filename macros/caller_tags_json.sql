{#
    The ledger's caller_tags: a JSON object of the extra tags (`chargeback__extra_tags`) a
    record carries, from `values` (tag -> text expression of its value); a tag the record does
    not carry is absent, a record carrying none gives '{}'. Null when no extra tag is
    configured.
#}
{% macro caller_tags_json(values) -%}
    {%- if not values -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {%- set pairs = [] -%}
    {%- for tag, expression in values.items() -%}
        {%- do pairs.append((tag, expression)) -%}
    {%- endfor -%}
    {{ return(json_object(pairs)) }}
{%- endmacro %}
