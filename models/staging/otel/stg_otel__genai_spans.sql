/*
    OpenTelemetry GenAI client spans (OTLP/JSON file export, one export batch per line) in the
    canonical request shape: one request per span that carries GenAI attributes.

    A batch is resourceSpans[] -> scopeSpans[] -> spans[]; ownership comes from the resource's
    attributes, the call from the span's. Both the current and the deprecated attribute names
    are read (gen_ai.provider.name / gen_ai.system, gen_ai.usage.input_tokens /
    gen_ai.usage.prompt_tokens, gen_ai.usage.output_tokens / gen_ai.usage.completion_tokens).
    Integers arrive as decimal strings. Mapping (DECISIONS.md, "OpenTelemetry"):
      request_id          traceId:spanId
      occurred_at         startTimeUnixNano
      model               gen_ai.response.model, else gen_ai.request.model
      input_tokens        gen_ai.usage.input_tokens (includes cached tokens), cache reads and
                          writes from gen_ai.usage.cache_read / cache_creation.input_tokens
      status_code         error.type as the status it stands for: an HTTP code as it is, an
                          exception class (RateLimitError 429, ...: macro http_status_of_error);
                          else 500 when status.code is 2 (error); else 200
      team, product, environment, scenario, cost_center
                          span attributes under the keys of chargeback__tag_keys, else the
                          resource's; environment falls back to deployment.environment.name /
                          deployment.environment, product to service.name; the extra tags
                          (chargeback__extra_tags) into caller_tags
      attempt_number      a span attribute attempt_number when the instrumentation sets one, else 1
      unit_id             gen_ai.conversation.id; trace_id the span's traceId;
      provider_response_id gen_ai.response.id
    Audio and image tokens, web and file search calls, code execution: the GenAI semantic
    conventions define no attribute for them (the usage attributes are input, output, cache
    read, cache creation and reasoning tokens; tool spans describe the caller's own tools, not
    the provider's billed ones), so they are 0 here.
    Spans without any GenAI attribute are not requests and are left out. A line that is not
    an export batch (not JSON, or without resourceSpans) is kept as one malformed record, so
    that staging quarantines it instead of losing it.
*/

with

source as (
    select * from {{ source('otel', 'spans') }}
),

batches_read as (
    -- each line's resourceSpans, read once: the spans come from it, and a line without it is
    -- an unreadable batch (below)
    select
        _source_file,
        _source_format,
        _source_line,
        _raw_record,
        {{ json_text('_raw_record', 'resourceSpans') }} as resource_spans
    from source
),

spans_flattened as (
    select
        batches_read._source_file,
        batches_read._source_format,
        batches_read._source_line,
        {{ json_text('resource_span.element', 'resource.attributes') }} as resource_attributes,
        span.element as span_record,
        {{ json_text('span.element', 'attributes') }} as attributes
    from batches_read
    {{ json_array_elements('batches_read.resource_spans', 'resource_span') }}
    {{ json_array_elements(json_text('resource_span.element', 'scopeSpans'), 'scope_span') }}
    {{ json_array_elements(json_text('scope_span.element', 'spans'), 'span') }}
),

{%- set attributes = {
    'operation': 'gen_ai.operation.name',
    'provider_name': 'gen_ai.provider.name',
    'system_name': 'gen_ai.system',
    'request_model': 'gen_ai.request.model',
    'response_model': 'gen_ai.response.model',
    'response_id': 'gen_ai.response.id',
    'conversation_id': 'gen_ai.conversation.id',
    'input_tokens': 'gen_ai.usage.input_tokens',
    'prompt_tokens': 'gen_ai.usage.prompt_tokens',
    'output_tokens': 'gen_ai.usage.output_tokens',
    'completion_tokens': 'gen_ai.usage.completion_tokens',
    'cache_read_tokens': 'gen_ai.usage.cache_read.input_tokens',
    'cache_write_tokens': 'gen_ai.usage.cache_creation.input_tokens',
    'reasoning_tokens': 'gen_ai.usage.reasoning.output_tokens',
    'error_type': 'error.type',
    'span_prompt_template': 'prompt_template_id',
    'span_attempt_number': 'attempt_number',
} %}
{%- set resource_attributes = {
    'service_name': 'service.name',
    'resource_environment': 'deployment.environment.name',
    'resource_environment_old': 'deployment.environment',
    'resource_api_key': 'api_key_id',
} %}

attributes_read as (
    select
        _source_file,
        _source_format,
        _source_line,
        {{ json_text('span_record', 'traceId') }} as trace_id,
        {{ json_text('span_record', 'spanId') }} as span_id,
        {{ json_text('span_record', 'startTimeUnixNano') }} as start_nanos,
        {{ json_text('span_record', 'status.code') }} as status_code_otel,
        {%- for name, key in attributes.items() %}
            {{ otel_attribute('attributes', key) }} as {{ name }},
        {%- endfor %}
        {%- for name, key in resource_attributes.items() %}
            {{ otel_attribute('resource_attributes', key) }} as {{ name }},
        {%- endfor %}
        -- a caller tag: the span's attribute under one of its keys, else the resource's
        {%- for tag in caller_tag_names() %}
            coalesce(
                {%- for key in caller_tag_keys(tag) %}
                    {{ otel_attribute('attributes', key) }},
                {%- endfor %}
                {%- for key in caller_tag_keys(tag) %}
                    {{ otel_attribute('resource_attributes', key) }}{{ ',' if not loop.last }}
                {%- endfor %}
            ) as {{ tag }}_tag_value,
        {%- endfor %}
        span_record as span_record_kept
    from spans_flattened
),

canonical as (
    select
        {{ dbt.concat(['trace_id', "':'", 'span_id']) }} as request_id,
        cast(null as {{ dbt.type_string() }}) as original_request_id,
        coalesce(span_attempt_number, '1') as attempt_number,
        {{ epoch_nanos_to_iso('start_nanos') }} as occurred_at,
        coalesce(provider_name, system_name) as provider,
        coalesce(response_model, request_model) as model,
        resource_api_key as api_key_id,
        operation as request_type,
        'false' as is_batch,
        case
            when error_type is not null then {{ http_status_of_error('error_type') }}
            when status_code_otel = '2' then '500'
            else '200'
        end as status_code,
        -- A call that failed before the model read anything reports no usage: 0 tokens.
        coalesce(
            input_tokens,
            prompt_tokens,
            case when error_type is not null or status_code_otel = '2' then '0' end
        ) as input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        cast(null as {{ dbt.type_string() }}) as cache_write_1h_tokens,
        coalesce(output_tokens, completion_tokens) as output_tokens,
        reasoning_tokens,
        'false' as gateway_cache_hit,
        team_tag_value as team,
        coalesce(product_tag_value, service_name) as product,
        coalesce(environment_tag_value, resource_environment, resource_environment_old) as environment,
        scenario_tag_value as scenario,
        cost_center_tag_value as cost_center,
        conversation_id as unit_id,
        span_prompt_template as prompt_template_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        trace_id,
        response_id as provider_response_id,
        cast(null as {{ dbt.type_string() }}) as gateway_cost_usd,
        {%- for quantity in landing_columns('gateway_requests')[-9:] %}
            cast(null as {{ dbt.type_string() }}) as {{ quantity }},
        {%- endfor %}
        _source_file,
        _source_format,
        _source_line,
        span_record_kept as _raw_record,
        cast(null as {{ dbt.type_string() }}) as gateway_team,
        -- a span is one call as the instrumentation saw it; its retries are spans of their own
        'true' as earlier_attempts_logged,
        {{ caller_tags_from_tag_values() }} as caller_tags
    from attributes_read
    where coalesce(operation, provider_name, system_name, input_tokens, prompt_tokens) is not null
),

unreadable_batches as (
    -- The same columns in the same order as canonical, all null but where the line came from.
    select
        {%- for column in landing_columns('gateway_requests') %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        _source_file,
        _source_format,
        _source_line,
        _raw_record,
        cast(null as {{ dbt.type_string() }}) as gateway_team,
        'true' as earlier_attempts_logged,
        cast(null as {{ dbt.type_string() }}) as caller_tags
    from batches_read
    where resource_spans is null
),

readable_and_unreadable as (
    select * from canonical
    union all
    select * from unreadable_batches
),

{{ canonical_request_ctes('readable_and_unreadable', 'otel') }}

select * from final
