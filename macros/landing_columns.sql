{#
    The landing contract (docs/landing-contract.md): the fields of each landed entity, in order.
    Landing relations expose every field as text exactly as it landed; staging casts. The
    gateway log's last nine fields (audio and image tokens, tool calls) are optional: a record
    or a Parquet file without them reads them as null (none of that kind).
#}
{% macro landing_columns(entity) -%}
    {%- set contracts = {
        'gateway_requests': [
            'request_id', 'original_request_id', 'attempt_number', 'occurred_at',
            'provider', 'model', 'api_key_id', 'request_type', 'is_batch', 'status_code',
            'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens',
            'output_tokens', 'reasoning_tokens', 'gateway_cache_hit',
            'team', 'product', 'environment', 'scenario', 'cost_center',
            'unit_id', 'prompt_template_id', 'user_id', 'trace_id', 'provider_response_id',
            'gateway_cost_usd',
            'input_audio_tokens', 'cache_audio_read_tokens', 'output_audio_tokens',
            'input_image_tokens', 'cache_image_read_tokens', 'output_image_tokens',
            'web_search_calls', 'file_search_calls', 'code_execution_sessions',
        ],
        'invoice_lines': [
            'invoice_id', 'provider', 'billing_period_start', 'billing_period_end',
            'line_id', 'line_description', 'model', 'token_type', 'quantity', 'unit',
            'amount', 'currency', 'charge_category',
        ],
        'platform_costs': [
            'period_month', 'cost_pool', 'amount', 'currency', 'description',
        ],
    } -%}
    {%- if entity not in contracts -%}
        {{ exceptions.raise_compiler_error("landing_columns: unknown landing entity '" ~ entity ~ "'") }}
    {%- endif -%}
    {{ return(contracts[entity]) }}
{%- endmacro %}
