{#
    The landing folders, each the drop folder of one source: folder under the landing directory
    -> the landed entity (landing relation) its files feed, and the formats its reader takes.
    `pages`: API pages, each record a page (its column is `_raw_document`). Every file under
    the landing directory is listed in `landing.landed_files`: read by its folder's reader, or
    quarantined there with the reason (a file outside these folders, or of another format).
#}
{% macro landing_folders() -%}
    {{ return({
        'gateway_requests': {'entity': 'gateway_requests', 'formats': ['json', 'parquet']},
        'litellm_spend_logs': {'entity': 'litellm_spend_logs', 'formats': ['json', 'csv']},
        'otel_spans': {'entity': 'otel_spans', 'formats': ['json']},
        'bedrock_invocation_logs': {'entity': 'bedrock_invocation_logs', 'formats': ['json']},
        'openai_usage': {'entity': 'openai_usage_pages', 'formats': ['json'], 'pages': true},
        'openai_costs': {'entity': 'openai_cost_pages', 'formats': ['json'], 'pages': true},
        'anthropic_usage': {'entity': 'anthropic_usage_pages', 'formats': ['json'], 'pages': true},
        'anthropic_costs': {'entity': 'anthropic_cost_pages', 'formats': ['json'], 'pages': true},
        'invoices': {'entity': 'invoice_lines', 'formats': ['csv']},
        'platform_costs': {'entity': 'platform_costs', 'formats': ['csv']},
    }) }}
{%- endmacro %}
