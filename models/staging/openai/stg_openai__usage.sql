/*
    OpenAI organization Usage API pages (completions), one row per result of a daily bucket;
    an empty bucket gives one row with no model (the provider reported no use that day).

    Token convention: OpenAI's input_tokens INCLUDES input_cached_tokens and
    input_cache_write_tokens; they are split here into uncached input, cache reads and cache
    writes, the invoice vocabulary of the reconciliation (uncached = input_uncached_tokens when
    the page has it, else input - cached - cache writes).
*/

with

source as (
    select * from {{ source('openai', 'usage_pages') }}
),

results_flattened as (
    select
        source._source_file,
        {{ json_text('bucket.element', 'start_time') }} as bucket_start_epoch,
        result.element as result_record
    from source
    {{ json_array_elements(json_text('source._raw_document', 'data'), 'bucket') }}
    {{ json_array_elements(json_text('bucket.element', 'results'), 'result', keep_empty=true) }}
),

renamed as (
    select
        _source_file as source_file,
        'openai' as provider,
        -- Unix seconds, written as nanoseconds (nine zeros more) for the shared conversion
        cast({{ epoch_nanos_to_iso(dbt.concat(['bucket_start_epoch', "'000000000'"])) }} as {{ dbt.type_string() }})
            as bucket_start_iso,
        {{ json_text('result_record', 'model') }} as model_reported,
        {{ strip_model_id('lower(' ~ json_text('result_record', 'model') ~ ')') }} as model_lookup_key,
        {{ json_text('result_record', 'api_key_id') }} as provider_api_key_id,
        {{ json_text('result_record', 'project_id') }} as project_id,
        cast(null as {{ dbt.type_string() }}) as workspace_id,
        coalesce({{ to_bool(json_text('result_record', 'batch')) }}, false) as is_batch,
        {{ json_text('result_record', 'service_tier') }} as service_tier,
        {{ to_token_count(json_text('result_record', 'input_tokens')) }} as input_tokens_reported,
        coalesce({{ to_token_count(json_text('result_record', 'input_cached_tokens')) }}, 0) as cache_read_tokens,
        coalesce({{ to_token_count(json_text('result_record', 'input_cache_write_tokens')) }}, 0) as cache_write_tokens,
        {{ to_token_count(json_text('result_record', 'input_uncached_tokens')) }} as uncached_reported,
        coalesce({{ to_token_count(json_text('result_record', 'output_tokens')) }}, 0) as output_tokens,
        {{ dbt.safe_cast(json_text('result_record', 'num_model_requests'), dbt.type_bigint()) }} as requests
    from results_flattened
),

final as (
    select
        source_file,
        provider,
        cast({{ parse_utc_timestamp('bucket_start_iso') }} as date) as usage_date,
        model_reported,
        model_lookup_key,
        provider_api_key_id,
        project_id,
        workspace_id,
        is_batch,
        service_tier,
        coalesce(uncached_reported, input_tokens_reported - cache_read_tokens - cache_write_tokens, 0)
            as uncached_input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        output_tokens,
        requests,
        model_reported is null as is_empty_bucket
    from renamed
)

select * from final
