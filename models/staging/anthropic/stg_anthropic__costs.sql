/*
    Anthropic Admin API cost report pages: one row per cost result of a daily bucket, in the
    shape of an invoice line (DESIGN.md 4.2) so that it can stand in for a missing invoice.

    amount is a DECIMAL STRING in CENTS ('375.0000' is 3.75 dollars): divided by 100 here.
    token_type maps to the invoice vocabulary: uncached_input_tokens -> input,
    cache_read_input_tokens -> cache_read, cache_creation.* -> cache_write, output_tokens ->
    output, anything else (web search, code execution) -> other. The report gives no quantity.
    The billing period is the UTC calendar month of the bucket.
*/

with

source as (
    select * from {{ source('anthropic', 'cost_pages') }}
),

results_flattened as (
    select
        source._source_file,
        {{ json_text('bucket.element', 'starting_at') }} as bucket_start_iso,
        result.element as result_record
    from source
    {{ json_array_elements(json_text('source._raw_document', 'data'), 'bucket') }}
    {{ json_array_elements(json_text('bucket.element', 'results'), 'result') }}
),

renamed as (
    select
        _source_file as source_file,
        result_record,
        cast({{ parse_utc_timestamp('bucket_start_iso') }} as date) as cost_date,
        {{ json_text('result_record', 'description') }} as line_description,
        lower({{ json_text('result_record', 'model') }}) as model,
        {{ json_text('result_record', 'token_type') }} as token_type_reported,
        {{ dbt.safe_cast(json_text('result_record', 'amount'), 'decimal(38, 6)') }} / 100 as amount,
        upper({{ json_text('result_record', 'currency') }}) as currency,
        {{ json_text('result_record', 'workspace_id') }} as workspace_id
    from results_flattened
),

final as (
    select
        {{ surrogate_key(['source_file', 'cost_date', 'result_record']) }} as line_id,
        'anthropic' as provider,
        source_file,
        cost_date,
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as billing_period_start,
        cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'cost_date')) }} as date) as billing_period_end,
        line_description,
        model,
        {{ strip_model_id('model') }} as model_lookup_key,
        case
            when token_type_reported = 'uncached_input_tokens' then 'input'
            when token_type_reported = 'cache_read_input_tokens' then 'cache_read'
            when token_type_reported like 'cache_creation%' then 'cache_write'
            when token_type_reported = 'output_tokens' then 'output'
            else 'other'
        end as token_type,
        cast(null as decimal(38, 6)) as quantity,
        cast(null as {{ dbt.type_string() }}) as unit,
        cast(amount as decimal(38, 6)) as amount,
        currency,
        'usage' as charge_category,
        workspace_id
    from renamed
)

select * from final
