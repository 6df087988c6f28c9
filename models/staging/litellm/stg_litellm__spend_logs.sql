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
      attempt_number      metadata.attempted_retries + 1 (the logged call is the last attempt)
      status_code         200 on success; on failure the error code when numeric, else 500
      input_tokens        prompt_tokens (OpenAI convention: includes cached tokens)
      cache_read_tokens   usage extras: prompt_tokens_details.cached_tokens or
                          cache_read_input_tokens; cache writes: cache_creation_input_tokens
      output_tokens       completion_tokens; reasoning from completion_tokens_details
      gateway_cache_hit   cache_hit = 'True' or a `_cache_hit` request id
      team                team_id, else metadata.user_api_key_team_id, else a `team:` tag
      product, environment, scenario, cost_center, unit_id, prompt_template_id
                          metadata.spend_logs_metadata, else `key:value` request_tags
                          (`env:` counts as environment); unit_id falls back to the
                          conversation id and session_id
      provider_response_id request_id when it is a provider id (not a cache hit)
      gateway_cost_usd    spend (LiteLLM's own price, for comparison only)
*/

with

source as (
    select * from {{ source('litellm', 'spend_logs') }}
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
        {{ json_text('_raw_record', 'metadata.user_api_key_alias') }} as api_key_alias,
        {{ json_text('_raw_record', 'call_type') }} as call_type,
        {{ json_text('_raw_record', 'status') }} as call_status,
        {{ json_text('_raw_record', 'metadata.error_information.error_code') }} as error_code,
        {{ json_text('_raw_record', 'metadata.attempted_retries') }} as attempted_retries,
        {{ json_text('_raw_record', 'prompt_tokens') }} as prompt_tokens,
        {{ json_text('_raw_record', 'completion_tokens') }} as completion_tokens,
        coalesce(
            {{ json_text('_raw_record', 'metadata.additional_usage_values.prompt_tokens_details.cached_tokens') }},
            {{ json_text('_raw_record', 'metadata.additional_usage_values.cache_read_input_tokens') }}
        ) as cached_tokens,
        {{ json_text('_raw_record', 'metadata.additional_usage_values.cache_creation_input_tokens') }}
            as cache_creation_tokens,
        {{ json_text('_raw_record', 'metadata.additional_usage_values.completion_tokens_details.reasoning_tokens') }}
            as reasoning_tokens,
        {{ json_text('_raw_record', 'cache_hit') }} as cache_hit,
        {{ json_text('_raw_record', 'team_id') }} as team_id,
        {{ json_text('_raw_record', 'metadata.user_api_key_team_id') }} as key_team_id,
        {{ json_text('_raw_record', 'request_tags') }} as request_tags,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.team') }} as team_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.product') }} as product_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.environment') }} as environment_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.scenario') }} as scenario_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.cost_center') }} as cost_center_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.unit_id') }} as unit_id_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.conversation_id') }} as conversation_id_meta,
        {{ json_text('_raw_record', 'metadata.spend_logs_metadata.prompt_template_id') }} as prompt_template_meta,
        {{ json_text('_raw_record', 'session_id') }} as session_id,
        {{ json_text('_raw_record', 'user') }} as user_name,
        {{ json_text('_raw_record', 'end_user') }} as end_user,
        {{ json_text('_raw_record', 'metadata.trace_id') }} as trace_id,
        {{ json_text('_raw_record', 'spend') }} as spend
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
        cast(coalesce({{ dbt.safe_cast('attempted_retries', dbt.type_int()) }}, 0) + 1 as {{ dbt.type_string() }})
            as attempt_number,
        started_at as occurred_at,
        custom_llm_provider as provider,
        coalesce(nullif(model, ''), model_group) as model,
        coalesce(nullif(api_key_alias, ''), api_key_hash) as api_key_id,
        call_type as request_type,
        'false' as is_batch,
        case
            when lower(call_status) = 'failure'
                then coalesce({{ regex_extract('error_code', '^([0-9]{3})$') }}, '500')
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
        coalesce(
            nullif(team_meta, ''), nullif(team_id, ''), nullif(key_team_id, ''),
            {{ regex_extract('request_tags', '"team:([^"]*)"') }}
        ) as team,
        coalesce(nullif(product_meta, ''), {{ regex_extract('request_tags', '"product:([^"]*)"') }}) as product,
        coalesce(
            nullif(environment_meta, ''),
            {{ regex_extract('request_tags', '"(?:env|environment):([^"]*)"') }}
        ) as environment,
        coalesce(nullif(scenario_meta, ''), {{ regex_extract('request_tags', '"scenario:([^"]*)"') }}) as scenario,
        coalesce(nullif(cost_center_meta, ''), {{ regex_extract('request_tags', '"cost_center:([^"]*)"') }})
            as cost_center,
        coalesce(nullif(unit_id_meta, ''), nullif(conversation_id_meta, ''), nullif(session_id, '')) as unit_id,
        prompt_template_meta as prompt_template_id,
        coalesce(nullif(user_name, ''), nullif(end_user, '')) as user_id,
        trace_id,
        case
            when not (lower(coalesce(cache_hit, '')) = 'true' or {{ regex_matches('request_id', '_cache_hit') }})
                then request_id
        end as provider_response_id,
        spend as gateway_cost_usd,
        model_group
    from fields_extracted
),

{{ canonical_request_ctes('canonical', 'litellm', has_model_group=true) }}

select * from final
