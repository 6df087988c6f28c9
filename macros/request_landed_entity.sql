{#
    The landed entity (macro landing_folders) of a request-log record from `source_system`
    (int_requests_unioned: gateway, litellm, otel, bedrock), as quarantined records and the
    landed-file counts name it.
#}
{% macro request_landed_entity(source_system) -%}
    case {{ source_system }}
        when 'gateway' then 'gateway_requests'
        when 'litellm' then 'litellm_spend_logs'
        when 'otel' then 'otel_spans'
        when 'bedrock' then 'bedrock_invocation_logs'
    end
{%- endmacro %}
