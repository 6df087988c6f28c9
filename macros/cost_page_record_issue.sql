{#
    record_issue of a cost report page model (OpenAI's Costs API, Anthropic's cost report): the
    bucket checks of every report page (usage_bucket_checks, with the page's `document` name
    and its `start_field` and `end_field`), then a bucket superseded by a later file holding
    the same start (bucket_latest_file), then a result without a readable amount (the column
    `amount`) or currency. Null for a usable line.
#}
{% macro cost_page_record_issue(document, start_field, end_field, amount) -%}
    case
        {{ usage_bucket_checks(document, start_field, end_field) }}
        when delivery_key < bucket_latest_file
            then 'bucket delivered again: superseded by a later file'
        when result_record is not null and {{ amount }} is null then 'missing or unreadable amount'
        when result_record is not null and currency is null then 'missing currency'
    end
{%- endmacro %}
