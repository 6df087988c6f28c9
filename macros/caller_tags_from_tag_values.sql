{#
    caller_tags (caller_tags_json) of a request-log model that reads every caller tag into a
    column of its own named `<tag>_tag_value`: the extra tags of chargeback__extra_tags, from
    those columns.
#}
{% macro caller_tags_from_tag_values() -%}
    {%- set values = {} -%}
    {%- for tag in var('chargeback__extra_tags') -%}
        {%- do values.update({tag: tag ~ '_tag_value'}) -%}
    {%- endfor -%}
    {{ return(caller_tags_json(values)) }}
{%- endmacro %}
