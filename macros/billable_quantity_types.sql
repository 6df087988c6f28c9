{#
    The quantity types a priced call is charged for, each at one price (DECISIONS.md,
    "Billable quantities"), in the order their charges and lines are listed, input first. Each
    is a dict:
        name           the quantity type (FOCUS x_TokenType, the line summary's detail)
        quantity       its count over the ledger's summed columns (int_ledger_days_summarised):
                       the text part of a token count is what remains when its audio and
                       image parts are taken out, so that the types partition the tokens
        price          the price per unit column of int_model_prices_prepared
        contract_rate  the contract rate column of int_contract_prices_prepared (none: the
                       contract sets no rate, the list price applies)
        line_type      the invoice line's token type it is compared with (the invoice
                       vocabulary: both cache writes are cache_write, cached audio is audio input)
        unit           tokens, calls, sessions or requests
        per            the pricing unit's size: 1,000,000 tokens, 1,000 of the others
        direction, cache_action   of a token type (null for the others)
    The request type is a call's fee: charged only where the price row has one.
#}
{% macro billable_quantity_types() -%}
    {%- set uncached_audio = '(coalesce(input_audio_tokens, 0) - coalesce(cache_audio_read_tokens, 0))' -%}
    {%- set uncached_image = '(coalesce(input_image_tokens, 0) - coalesce(cache_image_read_tokens, 0))' -%}
    {{ return([
        {'name': 'input', 'quantity': 'uncached_input_tokens - ' ~ uncached_audio ~ ' - ' ~ uncached_image,
         'price': 'input_per_token', 'contract_rate': 'contract_input_per_token', 'line_type': 'input',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'none'},
        {'name': 'cache_read', 'quantity': 'cache_read_tokens - coalesce(cache_audio_read_tokens, 0) - coalesce(cache_image_read_tokens, 0)',
         'price': 'cache_read_per_token', 'contract_rate': 'contract_cache_read_per_token', 'line_type': 'cache_read',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'read'},
        {'name': 'cache_write_5m', 'quantity': 'cache_write_tokens',
         'price': 'cache_write_per_token', 'contract_rate': 'contract_cache_write_per_token', 'line_type': 'cache_write',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'write'},
        {'name': 'cache_write_1h', 'quantity': 'cache_write_1h_tokens',
         'price': 'cache_write_1h_per_token', 'contract_rate': 'contract_cache_write_1h_per_token', 'line_type': 'cache_write',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'write'},
        {'name': 'output', 'quantity': 'output_tokens - coalesce(output_audio_tokens, 0) - coalesce(output_image_tokens, 0)',
         'price': 'output_per_token', 'contract_rate': 'contract_output_per_token', 'line_type': 'output',
         'unit': 'tokens', 'per': 1000000, 'direction': 'output', 'cache_action': 'none'},
        {'name': 'input_audio', 'quantity': uncached_audio,
         'price': 'input_audio_per_token', 'contract_rate': none, 'line_type': 'input_audio',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'none'},
        {'name': 'cache_read_audio', 'quantity': 'coalesce(cache_audio_read_tokens, 0)',
         'price': 'cache_audio_read_per_token', 'contract_rate': none, 'line_type': 'input_audio',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'read'},
        {'name': 'output_audio', 'quantity': 'coalesce(output_audio_tokens, 0)',
         'price': 'output_audio_per_token', 'contract_rate': none, 'line_type': 'output_audio',
         'unit': 'tokens', 'per': 1000000, 'direction': 'output', 'cache_action': 'none'},
        {'name': 'input_image', 'quantity': uncached_image,
         'price': 'input_image_per_token', 'contract_rate': none, 'line_type': 'input_image',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'none'},
        {'name': 'cache_read_image', 'quantity': 'coalesce(cache_image_read_tokens, 0)',
         'price': 'cache_image_read_per_token', 'contract_rate': none, 'line_type': 'input_image',
         'unit': 'tokens', 'per': 1000000, 'direction': 'input', 'cache_action': 'read'},
        {'name': 'output_image', 'quantity': 'coalesce(output_image_tokens, 0)',
         'price': 'output_image_per_token', 'contract_rate': none, 'line_type': 'output_image',
         'unit': 'tokens', 'per': 1000000, 'direction': 'output', 'cache_action': 'none'},
        {'name': 'web_search', 'quantity': 'coalesce(web_search_calls, 0)',
         'price': 'web_search_per_call', 'contract_rate': none, 'line_type': 'web_search',
         'unit': 'calls', 'per': 1000, 'direction': none, 'cache_action': none},
        {'name': 'file_search', 'quantity': 'coalesce(file_search_calls, 0)',
         'price': 'file_search_per_call', 'contract_rate': none, 'line_type': 'file_search',
         'unit': 'calls', 'per': 1000, 'direction': none, 'cache_action': none},
        {'name': 'code_execution', 'quantity': 'coalesce(code_execution_sessions, 0)',
         'price': 'code_execution_per_session', 'contract_rate': none, 'line_type': 'code_execution',
         'unit': 'sessions', 'per': 1000, 'direction': none, 'cache_action': none},
        {'name': 'request', 'quantity': 'requests',
         'price': 'request_fee_per_request', 'contract_rate': none, 'line_type': 'request',
         'unit': 'requests', 'per': 1000, 'direction': none, 'cache_action': none},
    ]) }}
{%- endmacro %}
