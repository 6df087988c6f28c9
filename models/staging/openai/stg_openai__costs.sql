/*
    OpenAI organization Costs API pages: one row per cost result of a daily bucket, in the
    shape of an invoice line (DESIGN.md 4.2) so that it can stand in for a missing invoice.

    amount.value is dollars (a JSON number), amount.currency lower case; line_item reads
    '<model>, <kind>' ('gpt-4.1-mini-2025-04-14, input'): the model and the token type
    (input, cached input -> cache_read, output; anything else -> other). The billing period is
    the UTC calendar month of the bucket. Empty buckets give no line.
*/

with

source as (
    select * from {{ source('openai', 'cost_pages') }}
),

results_flattened as (
    select
        source._source_file,
        {{ json_text('bucket.element', 'start_time') }} as bucket_start_epoch,
        result.element as result_record
    from source
    {{ json_array_elements(json_text('source._raw_document', 'data'), 'bucket') }}
    {{ json_array_elements(json_text('bucket.element', 'results'), 'result') }}
),

renamed as (
    select
        _source_file as source_file,
        result_record,
        -- Unix seconds, written as nanoseconds (nine zeros more) for the shared conversion
        cast({{ parse_utc_timestamp(epoch_nanos_to_iso(dbt.concat(['bucket_start_epoch', "'000000000'"]))) }} as date)
            as cost_date,
        {{ json_text('result_record', 'line_item') }} as line_item,
        lower(trim({{ regex_extract(json_text('result_record', 'line_item'), '^([^,]+),') }})) as model,
        lower(trim({{ regex_extract(json_text('result_record', 'line_item'), ',(.*)$') }})) as line_kind,
        {{ dbt.safe_cast(json_text('result_record', 'amount.value'), 'decimal(38, 6)') }} as amount,
        upper({{ json_text('result_record', 'amount.currency') }}) as currency,
        {{ dbt.safe_cast(json_text('result_record', 'quantity'), 'decimal(38, 6)') }} as quantity,
        {{ json_text('result_record', 'quantity_unit') }} as unit,
        {{ json_text('result_record', 'project_id') }} as project_id
    from results_flattened
),

final as (
    select
        {{ surrogate_key(['source_file', 'cost_date', 'line_item', 'project_id', 'result_record']) }} as line_id,
        'openai' as provider,
        source_file,
        cost_date,
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as billing_period_start,
        cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'cost_date')) }} as date) as billing_period_end,
        line_item as line_description,
        model,
        {{ strip_model_id('model') }} as model_lookup_key,
        case
            when line_kind = 'input' then 'input'
            when line_kind in ('cached input', 'cached_input', 'input cached') then 'cache_read'
            when line_kind = 'output' then 'output'
            else 'other'
        end as token_type,
        quantity,
        unit,
        amount,
        currency,
        'usage' as charge_category,
        project_id
    from renamed
)

select * from final
