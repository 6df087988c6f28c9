{#
    A JSON text with the values of the fields that name people masked: user_id and user
    (OpenAI usage grouped by user), account_id (Anthropic usage grouped by account),
    user_email and email_address. For the raw_record columns that quarantined provider pages
    show; the ids themselves are never read.
#}
{% macro redact_personal_ids(expression) -%}
    {%- set masked = namespace(sql=expression) -%}
    {%- for field in ['user_id', 'user', 'account_id', 'user_email', 'email_address'] -%}
        {%- set masked.sql = regex_replace_all(masked.sql, '"' ~ field ~ '" ?: ?"[^"]*"', '"' ~ field ~ '":"[redacted]"') -%}
    {%- endfor -%}
    {{ return(masked.sql) }}
{%- endmacro %}
