{#
    The landed sources read one JSON record per line and kept whole (the raw line): their
    staging models extract the fields. Entity (landing relation) -> folder under the landing
    directory.
#}
{% macro raw_line_sources() -%}
    {{ return({
        'litellm_spend_logs': 'litellm_spend_logs',
        'otel_spans': 'otel_spans',
        'bedrock_invocation_logs': 'bedrock_invocation_logs',
    }) }}
{%- endmacro %}
