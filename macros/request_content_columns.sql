{#
    The fields of a call that say what it was, for content_hash: two records of one match key
    with the same fingerprint are a redelivery, with another one a conflicting record. With a
    prefix (a table alias and a dot) where the caller joins. Computed only for the records that
    share a key (int_request_first_deliveries, int_requests_unioned), and to order the records
    of a file without line numbers (int_requests_landed).
#}
{% macro request_content_columns(prefix='') -%}
    {%- set columns = [
        'occurred_at', 'provider_logged', 'model_logged', 'api_key_id', 'status_code',
        'attempt_number', 'is_batch', 'is_gateway_cache_hit', 'input_tokens', 'cache_read_tokens',
        'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens', 'team_tag', 'product_tag',
        'environment_tag', 'scenario_tag', 'unit_id', 'input_audio_tokens', 'cache_audio_read_tokens',
        'output_audio_tokens', 'input_image_tokens', 'cache_image_read_tokens', 'output_image_tokens',
        'web_search_calls', 'file_search_calls', 'code_execution_sessions',
    ] -%}
    {%- set prefixed = [] -%}
    {%- for column in columns -%}
        {%- do prefixed.append(prefix ~ column) -%}
    {%- endfor -%}
    {{ return(prefixed) }}
{%- endmacro %}
