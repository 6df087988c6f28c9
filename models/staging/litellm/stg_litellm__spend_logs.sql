/*
    LiteLLM proxy spend logs (LiteLLM_SpendLogs rows as JSON Lines) in the canonical request
    shape. One row per call the proxy logged; `messages` and `response` are never read.

    Mapping (DECISIONS.md, "LiteLLM"):
      request_id          request_id (a response-cache hit keeps its `_cache_hit...` suffix)
      occurred_at         startTime
      provider            custom_llm_provider
      model               model (the deployment's provider model id, priced), else model_group;
                          model_group, the alias callers asked for, is the ledger's model_alias
      api_key_id          metadata.user_api_key_alias, else the key hash (api_key)
      attempt_number      metadata.attempted_retries + 1: the logged row is the call's last
                          attempt; LiteLLM writes no row for the attempts that failed before
                          it (earlier_attempts_logged = false), so a success after retries is
                          usage, not retry cost (DECISIONS.md, "LiteLLM")
      status_code         200 on success; on failure the error code as the status it stands
                          for (an HTTP code, or an exception class: macro http_status_of_error)
      input_tokens        prompt_tokens (OpenAI convention: includes cached tokens)
      cache_read_tokens   usage extras: prompt_tokens_details.cached_tokens or
                          cache_read_input_tokens; cache writes: cache_creation_input_tokens
      output_tokens       completion_tokens; reasoning from completion_tokens_details
      input_audio_tokens, input_image_tokens
                          usage extras: prompt_tokens_details.audio_tokens / image_tokens
                          (parts of prompt_tokens; LiteLLM gives no cached audio or image split)
      output_audio_tokens, output_image_tokens
                          completion_tokens_details.audio_tokens / image_tokens
      web_search_calls    server_tool_use.web_search_requests (Anthropic's server tool), else
                          prompt_tokens_details.web_search_requests (LiteLLM's own field for
                          search-grounded providers); LiteLLM's Usage has no file search or code
                          execution count
      gateway_cache_hit   cache_hit = 'True' or a `_cache_hit` request id
      team, product, environment, scenario, cost_center
                          the caller's tags: metadata.spend_logs_metadata under the keys of
                          chargeback__tag_keys, else `key:value` request_tags; the extra tags
                          (chargeback__extra_tags) into caller_tags
      gateway_team        the team LiteLLM gives the key: metadata.user_api_key_team_alias,
                          else team_id (a UUID), else metadata.user_api_key_team_id; it owns the
                          call when the key is not in api_keys (int_requests_attributed)
      unit_id             spend_logs_metadata unit_id, conversation_id or session_id, else a
                          `unit:`, `conversation:` or `session:` request tag. Never the
                          session_id column: LiteLLM fills it with a fresh id per call when the
                          caller sends none, which a log cannot tell from a real session
      prompt_template_id  spend_logs_metadata.prompt_template_id
      trace_id            metadata.trace_id, else session_id (LiteLLM's trace id)
      provider_response_id request_id when it is a provider id (not a cache hit)
      gateway_cost_usd    spend (LiteLLM's own price, for comparison only)
*/

with

source as (
    select * from {{ source('litellm', 'spend_logs') }}
),

documents_read as (
    -- metadata is an object in a database export and JSON text in the payload LiteLLM's
    -- logging hooks hand over: read as text, it is the object's JSON either way
    select
        *,
        {{ json_text('_raw_record', 'metadata') }} as metadata_json,
        {{ json_text('_raw_record', 'request_tags') }} as request_tags
    from source
),

fields_extracted as (
    select
        _source_file,
        _source_format,
        _source_line,
        _raw_record,
        {{ json_text('_raw_record', 'request_id') }} as request_id,
        {{ json_text('_raw_record', 'startTime') }} as started_at,
        {{ json_text('_raw_record', 'custom_llm_provider') }} as custom_llm_provider,
        {{ json_text('_raw_record', 'model') }} as model,
        {{ json_text('_raw_record', 'model_group') }} as model_group,
        {{ json_text('_raw_record', 'api_key') }} as api_key_hash,
        {{ json_text('metadata_json', 'user_api_key_alias') }} as api_key_alias,
        {{ json_text('_raw_record', 'call_type') }} as call_type,
        {{ json_text('_raw_record', 'status') }} as call_status,
        coalesce(
            nullif({{ json_text('metadata_json', 'error_information.error_code') }}, ''),
            {{ json_text('metadata_json', 'error_information.error_class') }}
        ) as error_code,
        {{ json_text('metadata_json', 'attempted_retries') }} as attempted_retries,
        {{ json_text('_raw_record', 'prompt_tokens') }} as prompt_tokens,
        {{ json_text('_raw_record', 'completion_tokens') }} as completion_tokens,
        coalesce(
            {{ json_text('metadata_json', 'additional_usage_values.prompt_tokens_details.cached_tokens') }},
            {{ json_text('metadata_json', 'additional_usage_values.cache_read_input_tokens') }}
        ) as cached_tokens,
        {{ json_text('metadata_json', 'additional_usage_values.cache_creation_input_tokens') }}
            as cache_creation_tokens,
        {{ json_text('metadata_json', 'additional_usage_values.completion_tokens_details.reasoning_tokens') }}
            as reasoning_tokens,
        {{ json_text('metadata_json', 'additional_usage_values.prompt_tokens_details.audio_tokens') }}
            as prompt_audio_tokens,
        {{ json_text('metadata_json', 'additional_usage_values.prompt_tokens_details.image_tokens') }}
            as prompt_image_tokens,
        {{ json_text('metadata_json', 'additional_usage_values.completion_tokens_details.audio_tokens') }}
            as completion_audio_tokens,
        {{ json_text('metadata_json', 'additional_usage_values.completion_tokens_details.image_tokens') }}
            as completion_image_tokens,
        coalesce(
            {{ json_text('metadata_json', 'additional_usage_values.server_tool_use.web_search_requests') }},
            {{ json_text('metadata_json', 'additional_usage_values.prompt_tokens_details.web_search_requests') }}
        ) as web_search_requests,
        {{ json_text('_raw_record', 'cache_hit') }} as cache_hit,
        {{ json_text('_raw_record', 'team_id') }} as team_id,
        {{ json_text('metadata_json', 'user_api_key_team_id') }} as key_team_id,
        {{ json_text('metadata_json', 'user_api_key_team_alias') }} as key_team_alias,
        {%- for tag in caller_tag_names() %}
            coalesce(
                {%- for key in caller_tag_keys(tag) %}
                    nullif({{ json_text('metadata_json', 'spend_logs_metadata.' ~ key) }}, ''),
                {%- endfor %}
                {{ regex_extract('request_tags', '"(?:' ~ caller_tag_keys(tag) | join('|') ~ '):([^"]*)"') }}
            ) as {{ tag }}_tag_value,
        {%- endfor %}
        coalesce(
            {%- for key in ['unit_id', 'conversation_id', 'session_id'] %}
                nullif({{ json_text('metadata_json', 'spend_logs_metadata.' ~ key) }}, ''),
            {%- endfor %}
            {{ regex_extract('request_tags', '"(?:unit|unit_id|conversation|conversation_id|session|session_id):([^"]*)"') }}
        ) as unit_id_meta,
        {{ json_text('metadata_json', 'spend_logs_metadata.prompt_template_id') }} as prompt_template_meta,
        {{ json_text('_raw_record', 'session_id') }} as session_id,
        {{ json_text('_raw_record', 'user') }} as user_name,
        {{ json_text('_raw_record', 'end_user') }} as end_user,
        {{ json_text('metadata_json', 'trace_id') }} as trace_id,
        {{ json_text('_raw_record', 'spend') }} as spend
    from documents_read
),

canonical as (
    select
        _source_file,
        _source_format,
        _source_line,
        _raw_record,
        request_id,
        cast(null as {{ dbt.type_string() }}) as original_request_id,
        cast(coalesce({{ dbt.safe_cast('attempted_retries', dbt.type_int()) }}, 0) + 1 as {{ dbt.type_string() }})
            as attempt_number,
        started_at as occurred_at,
        custom_llm_provider as provider,
        coalesce(nullif(model, ''), model_group) as model,
        coalesce(nullif(api_key_alias, ''), api_key_hash) as api_key_id,
        call_type as request_type,
        'false' as is_batch,
        case
            when lower(call_status) = 'failure' then coalesce({{ http_status_of_error('error_code') }}, '500')
            else '200'
        end as status_code,
        prompt_tokens as input_tokens,
        cached_tokens as cache_read_tokens,
        cache_creation_tokens as cache_write_tokens,
        cast(null as {{ dbt.type_string() }}) as cache_write_1h_tokens,
        completion_tokens as output_tokens,
        reasoning_tokens,
        case
            when lower(cache_hit) = 'true' or {{ regex_matches('request_id', '_cache_hit') }} then 'true'
            else 'false'
        end as gateway_cache_hit,
        team_tag_value as team,
        product_tag_value as product,
        environment_tag_value as environment,
        scenario_tag_value as scenario,
        cost_center_tag_value as cost_center,
        unit_id_meta as unit_id,
        prompt_template_meta as prompt_template_id,
        coalesce(nullif(user_name, ''), nullif(end_user, '')) as user_id,
        coalesce(nullif(trace_id, ''), session_id) as trace_id,
        case
            when not (lower(coalesce(cache_hit, '')) = 'true' or {{ regex_matches('request_id', '_cache_hit') }})
                then request_id
        end as provider_response_id,
        spend as gateway_cost_usd,
        prompt_audio_tokens as input_audio_tokens,
        cast(null as {{ dbt.type_string() }}) as cache_audio_read_tokens,
        completion_audio_tokens as output_audio_tokens,
        prompt_image_tokens as input_image_tokens,
        cast(null as {{ dbt.type_string() }}) as cache_image_read_tokens,
        completion_image_tokens as output_image_tokens,
        web_search_requests as web_search_calls,
        cast(null as {{ dbt.type_string() }}) as file_search_calls,
        cast(null as {{ dbt.type_string() }}) as code_execution_sessions,
        model_group,
        coalesce(nullif(key_team_alias, ''), nullif(team_id, ''), nullif(key_team_id, '')) as gateway_team,
        'false' as earlier_attempts_logged,
        {{ caller_tags_from_tag_values() }} as caller_tags
    from fields_extracted
),

{{ canonical_request_ctes('canonical', 'litellm', has_model_group=true) }}

select * from final
