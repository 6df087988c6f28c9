/*
    Anthropic Admin API usage report pages, one row per result of a daily bucket; an empty
    bucket gives one row with no model.

    Token convention: Anthropic's uncached_input_tokens does NOT include the cache reads and
    writes (total input = uncached + 5-minute writes + 1-hour writes + reads), which is already
    the invoice vocabulary of the reconciliation. The report has no request counts.
*/

with

source as (
    select * from {{ source('anthropic', 'usage_pages') }}
),

results_flattened as (
    select
        source._source_file,
        {{ json_text('bucket.element', 'starting_at') }} as bucket_start_iso,
        result.element as result_record
    from source
    {{ json_array_elements(json_text('source._raw_document', 'data'), 'bucket') }}
    {{ json_array_elements(json_text('bucket.element', 'results'), 'result', keep_empty=true) }}
),

final as (
    select
        _source_file as source_file,
        'anthropic' as provider,
        cast({{ parse_utc_timestamp('bucket_start_iso') }} as date) as usage_date,
        {{ json_text('result_record', 'model') }} as model_reported,
        {{ strip_model_id('lower(' ~ json_text('result_record', 'model') ~ ')') }} as model_lookup_key,
        {{ json_text('result_record', 'api_key_id') }} as provider_api_key_id,
        cast(null as {{ dbt.type_string() }}) as project_id,
        {{ json_text('result_record', 'workspace_id') }} as workspace_id,
        coalesce({{ json_text('result_record', 'service_tier') }} = 'batch', false) as is_batch,
        {{ json_text('result_record', 'service_tier') }} as service_tier,
        coalesce({{ to_token_count(json_text('result_record', 'uncached_input_tokens')) }}, 0) as uncached_input_tokens,
        coalesce({{ to_token_count(json_text('result_record', 'cache_read_input_tokens')) }}, 0) as cache_read_tokens,
        coalesce({{ to_token_count(json_text('result_record', 'cache_creation.ephemeral_5m_input_tokens')) }}, 0)
        + coalesce({{ to_token_count(json_text('result_record', 'cache_creation.ephemeral_1h_input_tokens')) }}, 0)
            as cache_write_tokens,
        coalesce({{ to_token_count(json_text('result_record', 'output_tokens')) }}, 0) as output_tokens,
        cast(null as {{ dbt.type_bigint() }}) as requests,
        result_record is null as is_empty_bucket
    from results_flattened
)

select * from final
