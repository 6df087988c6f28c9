/*
    Anthropic Admin API cost report pages (/v1/organizations/cost_report): one row per cost
    result of a daily bucket, in the shape of an invoice line (docs/landing-contract.md#invoices) so that it can
    stand in for a missing invoice, and one row per bucket without results (is_empty_bucket,
    no line).

    amount is a DECIMAL STRING in the currency's lowest units ('375.0000' USD cents is 3.75
    dollars; the report is "currently always USD"): divided by 100 here. The report gives no
    quantity. The billing period is the UTC calendar month of the bucket.

    cost_type and token_type (null when the report is not grouped by description; the
    result is still a line, its amount counts towards the month, with no model and token
    type `other`):
        tokens / uncached_input_tokens                        input
        tokens / cache_read_input_tokens                      cache_read
        tokens / cache_creation.ephemeral_5m_input_tokens     cache_write
        tokens / cache_creation.ephemeral_1h_input_tokens     cache_write (the invoices' one line)
        tokens / output_tokens                                output
        web_search                                            web_search (calls)
        code_execution                                        code_execution (container hours)
    Any other cost or token type is kept as a line (`other`, line_reading says it was not
    recognised); a workspace is null for the default workspace.

    Redelivery: the latest file (by path) that holds a day's bucket wins; the results of the
    same day in earlier files are quarantined as superseded (record_issue). A result whose
    amount does not parse is quarantined too.
*/

with

source as (
    select * from {{ source('anthropic', 'cost_pages') }}
),

{{ usage_page_ctes('source', 'starting_at', 'ending_at') }},

renamed as (
    select
        *,
        {{ json_text('result_record', 'description') }} as description,
        {{ json_text('result_record', 'cost_type') }} as cost_type,
        {{ json_text('result_record', 'token_type') }} as token_type_reported,
        lower({{ json_text('result_record', 'model') }}) as model,
        {{ json_text('result_record', 'service_tier') }} as service_tier,
        {{ json_text('result_record', 'context_window') }} as context_window,
        {{ dbt.safe_cast(json_text('result_record', 'amount'), 'decimal(38, 6)') }} as amount_lowest_units,
        upper({{ json_text('result_record', 'currency') }}) as currency,
        {{ json_text('result_record', 'workspace_id') }} as workspace_id
    from results_located
),

lines_classified as (
    select
        *,
        case
            when result_record is null then null
            when cost_type = 'tokens' and token_type_reported = 'uncached_input_tokens' then 'input'
            when cost_type = 'tokens' and token_type_reported = 'cache_read_input_tokens' then 'cache_read'
            when
                cost_type = 'tokens'
                and token_type_reported in (
                    'cache_creation.ephemeral_5m_input_tokens', 'cache_creation.ephemeral_1h_input_tokens'
                )
                then 'cache_write'
            when cost_type = 'tokens' and token_type_reported = 'output_tokens' then 'output'
            when cost_type = 'web_search' then 'web_search'
            when cost_type = 'code_execution' then 'code_execution'
            else 'other'
        end as token_type,
        case
            when result_record is null then null
            when cost_type is null then 'ungrouped: the report is not grouped by description'
            when
                cost_type = 'tokens'
                and token_type_reported in (
                    'uncached_input_tokens', 'cache_read_input_tokens', 'output_tokens',
                    'cache_creation.ephemeral_5m_input_tokens', 'cache_creation.ephemeral_1h_input_tokens'
                )
                then 'model tokens'
            when cost_type = 'web_search' then 'tool calls'
            when cost_type = 'code_execution' then 'tool hours'
            else 'unrecognised cost_type or token_type: kept as an unmodelled charge'
        end as line_reading,
        -- only readable buckets of one UTC day take part
        max(case when {{ usage_bucket_is_one_utc_day() }} then delivery_key end) over (partition by bucket_start_at)
            as bucket_latest_file
    from renamed
),

checked as (
    select
        *,
        cast(bucket_start_at as date) as cost_date,
        {{ cost_page_record_issue('cost report page', 'starting_at', 'ending_at', 'amount_lowest_units') }} as record_issue
    from lines_classified
),

final as (
    select
        {{ cost_page_line_columns('anthropic', ['delivery_key', 'cost_date', 'result_record']) }},
        coalesce(description, 'Anthropic costs (not grouped by description)') as line_description,
        case when line_reading = 'model tokens' then model end as model,
        case when line_reading = 'model tokens' then {{ strip_model_id('model') }} end as model_lookup_key,
        token_type,
        line_reading,
        service_tier,
        coalesce(context_window = '200k-1M', false) as is_long_context,
        cast(null as decimal(38, 6)) as quantity,
        case
            when token_type = 'web_search' then 'calls'
            when token_type = 'code_execution' then 'hours'
            when line_reading = 'model tokens' then 'tokens'
        end as unit,
        cast(amount_lowest_units / 100 as decimal(38, 6)) as amount,
        currency,
        'usage' as charge_category,
        workspace_id,
        result_record is null as is_empty_bucket,
        cost_type,
        record_issue,
        raw_record
    from checked
)

select * from final
