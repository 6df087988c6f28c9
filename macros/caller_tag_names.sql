{#
    The caller tags a request-log model reads from each record, in order: the canonical tag
    fields team, product, environment, scenario and cost_center, then the extra tags of
    chargeback__extra_tags (which reach the ledger in caller_tags).
#}
{% macro caller_tag_names() -%}
    {{ return(['team', 'product', 'environment', 'scenario', 'cost_center'] + var('chargeback__extra_tags')) }}
{%- endmacro %}
