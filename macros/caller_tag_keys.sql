{#
    The metadata keys that carry a caller tag (`chargeback__tag_keys`): for the tags team,
    product, environment, scenario and cost_center the configured keys, for an extra tag
    (`chargeback__extra_tags`) its own name.
#}
{% macro caller_tag_keys(tag) -%}
    {{ return(var('chargeback__tag_keys').get(tag, [tag])) }}
{%- endmacro %}
