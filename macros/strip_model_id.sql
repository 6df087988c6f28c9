{#
    Strips what is not part of a model's name from a lower-cased model id as logged:
    a provider prefix ('openai/gpt-4o' -> 'gpt-4o'), a Bedrock cross-region inference prefix
    ('us.anthropic.claude-...' -> 'anthropic.claude-...') and a Bedrock version suffix
    ('...-v1:0' -> '...-v1'). What remains is looked up in model_aliases.
#}
{% macro strip_model_id(expression) -%}
    {%- set without_prefix = "regexp_replace(" ~ expression ~ ", '^.*/', '')" -%}
    {%- set region_pattern = '^(us|eu|apac|au|ca|jp|global|us-gov)[.]' -%}
    regexp_replace(
        case
            when {{ regex_matches(without_prefix, region_pattern ~ '[a-z0-9-]+[.]') }}
                then regexp_replace({{ without_prefix }}, '{{ region_pattern }}', '')
            else {{ without_prefix }}
        end,
        ':[0-9]+$',
        ''
    )
{%- endmacro %}
