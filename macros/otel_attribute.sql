{#
    The value of one attribute in an OTLP/JSON attribute list held as JSON text
    ([{"key": "gen_ai.usage.input_tokens", "value": {"intValue": "2105"}}, ...]), as text:
    stringValue, intValue (a decimal string in OTLP/JSON), doubleValue or boolValue alike.
    OTLP/JSON writes `key` before `value` in each attribute, which the pattern relies on;
    array and key-list values are not read (no attribute used here has one).
#}
{% macro otel_attribute(attributes, key) -%}
    {%- set escaped = key | replace('.', '[.]') -%}
    {{ regex_extract(
        attributes,
        '"key":\\s*"' ~ escaped ~ '",\\s*"value":\\s*[{]\\s*"(?:string|int|double|bool)Value":\\s*"?([^",}]*)'
    ) }}
{%- endmacro %}
