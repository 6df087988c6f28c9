{#
    What a landed record may carry that the warehouse must never hold: prompt and response
    content. A JSON merge patch per raw-line source removes those fields from each record as it
    is read, before any model sees it (DECISIONS.md, "Privacy and secrets"). OpenTelemetry
    spans carry content only in opt-in attributes and events that staging never extracts.
#}
{% macro raw_line_content_patch(entity) -%}
    {{ return({
        'litellm_spend_logs': '{"messages": null, "response": null, "proxy_server_request": null}',
        'bedrock_invocation_logs': '{"input": {"inputBodyJson": null}, "output": {"outputBodyJson": null}}',
    }.get(entity)) }}
{%- endmacro %}
