{#
    The id of the model a fine-tune was trained from, for an OpenAI fine-tuned model id
    (`ft:<base model>:<organisation>:<suffix>:<job id>` -> `<base model>`); null for any other
    id. `expression` is the lower-cased model id as logged.
#}
{% macro fine_tune_base_id(expression) -%}
    case
        when {{ expression }} like 'ft:%'
            then {{ dbt.split_part(expression, "':'", 2) }}
    end
{%- endmacro %}
