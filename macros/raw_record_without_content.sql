{#
    What a landed record may carry that the warehouse must never hold: prompt and response
    content. Given a raw-line source and the SQL of its record's text, the SQL of the record
    without it, applied as each record is read, before any model sees it (DECISIONS.md,
    "Privacy and secrets"):
    - LiteLLM and Bedrock keep content in fixed fields: a JSON merge patch sets them to null
      (a record that is not a JSON object is left for staging to quarantine);
    - an OpenTelemetry export batch keeps it in attributes of its spans and of their events,
      arrays a merge patch cannot filter: a landing function leaves those attributes out
      (src/chargeback/landing/content.py).
    Other sources carry no content: the record as it is.
#}
{% macro raw_record_without_content(entity, record) -%}
    {%- set patches = {
        'litellm_spend_logs': '{"messages": null, "response": null, "proxy_server_request": null}',
        'bedrock_invocation_logs': '{"input": {"inputBodyJson": null}, "output": {"outputBodyJson": null}}',
    } -%}
    {%- if entity in patches -%}
        {{ return(
            "case when json_valid(" ~ record ~ ") and json_type(" ~ record ~ ") = 'OBJECT' "
            ~ "then cast(json_merge_patch(" ~ record ~ ", '" ~ patches[entity] ~ "') as varchar) "
            ~ "else " ~ record ~ " end"
        ) }}
    {%- elif entity == 'otel_spans' -%}
        {{ return('chargeback_otel_batch_without_content(' ~ record ~ ')') }}
    {%- endif -%}
    {{ return(record) }}
{%- endmacro %}
