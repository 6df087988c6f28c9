{#
    The landed sources read one JSON document per file (API pages as saved): entity -> folder.
#}
{% macro raw_document_sources() -%}
    {{ return({
        'openai_usage_pages': 'openai_usage',
        'openai_cost_pages': 'openai_costs',
        'anthropic_usage_pages': 'anthropic_usage',
        'anthropic_cost_pages': 'anthropic_costs',
    }) }}
{%- endmacro %}
