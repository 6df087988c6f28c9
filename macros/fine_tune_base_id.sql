{#
    The id of the model a fine-tune was trained from: for an OpenAI fine-tuned model id
    (`ft:<base model>:<organisation>:<suffix>:<job id>` -> `<base model>`), and for a Bedrock
    custom-model ARN (`arn:aws:bedrock:<region>:<account>:custom-model/<base model id>/<id>`
    -> the base model id without its `:<version>[:<context>]` suffix,
    `amazon.nova-lite-v1:0:300k` -> `amazon.nova-lite-v1`); null for any other id. A Bedrock
    provisioned-model or custom-model-deployment ARN does not name its base model: a
    model_deployments row does. `expression` is the lower-cased model id as logged.
#}
{% macro fine_tune_base_id(expression) -%}
    case
        when {{ expression }} like 'ft:%'
            then {{ dbt.split_part(expression, "':'", 2) }}
        when {{ expression }} like 'arn:aws:bedrock:%:custom-model/%/%'
            then regexp_replace(
                {{ regex_extract(expression, 'custom-model/([^/]+)/') }},
                ':[0-9]+(:[0-9a-z]+)?$',
                ''
            )
    end
{%- endmacro %}
