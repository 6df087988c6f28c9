/*
    Amazon Bedrock model invocation logs (ModelInvocationLog records, one JSON per line) in the
    canonical request shape. Mapping (DECISIONS.md, "Bedrock"):
      request_id          requestId
      occurred_at         timestamp
      provider            aws_bedrock
      model               modelId as logged: the cross-region prefix (us., eu., ...) and the
                          version suffix (:0) are stripped downstream, and the Bedrock id is
                          mapped to its canonical model by model_aliases
      input_tokens        inputTokenCount + cacheReadInputTokenCount + cacheWriteInputTokenCount
                          (Bedrock counts cache tokens outside the input count; the canonical
                          input includes them)
      output_tokens       outputTokenCount (absent for embeddings: 0)
      api_key_id          the IAM role of identity.arn (assumed-role/<role>/...), else the arn
      status_code         errorCode when present, as the status its exception stands for
                          (ThrottlingException 429, ...: macro http_status_of_error), else 200
      team, product, environment, scenario, cost_center
                          requestMetadata under the keys of chargeback__tag_keys; the extra
                          tags (chargeback__extra_tags) into caller_tags
      unit_id, prompt_template_id
                          requestMetadata of those names
    Audio and image tokens, web and file search calls, code execution: the invocation log
    counts input, output and cache tokens only (images and audio are logged as content, not
    counted), so they are 0 here; what Bedrock bills for them reaches the invoice side.
*/

with

source as (
    select * from {{ source('bedrock', 'invocation_logs') }}
),

fields_extracted as (
    select
        _source_file,
        _source_format,
        _source_line,
        _raw_record,
        {{ json_text('_raw_record', 'requestId') }} as request_id,
        {{ json_text('_raw_record', 'timestamp') }} as logged_at,
        {{ json_text('_raw_record', 'modelId') }} as model_id,
        {{ json_text('_raw_record', 'operation') }} as operation,
        {{ json_text('_raw_record', 'identity.arn') }} as identity_arn,
        {{ json_text('_raw_record', 'errorCode') }} as error_code,
        {{ json_text('_raw_record', 'input.inputTokenCount') }} as input_token_count,
        {{ json_text('_raw_record', 'input.cacheReadInputTokenCount') }} as cache_read_count,
        {{ json_text('_raw_record', 'input.cacheWriteInputTokenCount') }} as cache_write_count,
        {{ json_text('_raw_record', 'output.outputTokenCount') }} as output_token_count,
        {%- for tag in caller_tag_names() %}
            coalesce(
                {%- for key in caller_tag_keys(tag) %}
                    {{ json_text('_raw_record', 'requestMetadata.' ~ key) }}{{ ',' if not loop.last }}
                {%- endfor %}
            ) as {{ tag }}_tag_value,
        {%- endfor %}
        {{ json_text('_raw_record', 'requestMetadata.unit_id') }} as unit_id,
        {{ json_text('_raw_record', 'requestMetadata.prompt_template_id') }} as prompt_template_id
    from source
),

canonical as (
    select
        _source_file,
        _source_format,
        _source_line,
        _raw_record,
        request_id,
        cast(null as {{ dbt.type_string() }}) as original_request_id,
        '1' as attempt_number,
        logged_at as occurred_at,
        'aws_bedrock' as provider,
        model_id as model,
        coalesce({{ regex_extract('identity_arn', 'assumed-role/([^/]+)') }}, identity_arn) as api_key_id,
        operation as request_type,
        'false' as is_batch,
        coalesce({{ http_status_of_error('error_code') }}, '200') as status_code,
        -- The sum is text again for the canonical checks; a count that is not a whole number
        -- leaves input_tokens as landed so that staging quarantines it.
        case
            when
                {{ dbt.safe_cast('input_token_count', dbt.type_bigint()) }} is not null
                and (cache_read_count is null or {{ dbt.safe_cast('cache_read_count', dbt.type_bigint()) }} is not null)
                and (cache_write_count is null or {{ dbt.safe_cast('cache_write_count', dbt.type_bigint()) }} is not null)
                then cast(
                    {{ dbt.safe_cast('input_token_count', dbt.type_bigint()) }}
                    + coalesce({{ dbt.safe_cast('cache_read_count', dbt.type_bigint()) }}, 0)
                    + coalesce({{ dbt.safe_cast('cache_write_count', dbt.type_bigint()) }}, 0)
                    as {{ dbt.type_string() }}
                )
            else input_token_count
        end as input_tokens,
        cache_read_count as cache_read_tokens,
        cache_write_count as cache_write_tokens,
        cast(null as {{ dbt.type_string() }}) as cache_write_1h_tokens,
        output_token_count as output_tokens,
        cast(null as {{ dbt.type_string() }}) as reasoning_tokens,
        'false' as gateway_cache_hit,
        team_tag_value as team,
        product_tag_value as product,
        environment_tag_value as environment,
        scenario_tag_value as scenario,
        cost_center_tag_value as cost_center,
        unit_id,
        prompt_template_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        cast(null as {{ dbt.type_string() }}) as trace_id,
        request_id as provider_response_id,
        cast(null as {{ dbt.type_string() }}) as gateway_cost_usd,
        {%- for quantity in landing_columns('gateway_requests')[-9:] %}
            cast(null as {{ dbt.type_string() }}) as {{ quantity }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as gateway_team,
        -- each invocation, a retried one too, is a record of its own
        'true' as earlier_attempts_logged,
        {{ caller_tags_from_tag_values() }} as caller_tags
    from fields_extracted
),

{{ canonical_request_ctes('canonical', 'bedrock') }}

select * from final
