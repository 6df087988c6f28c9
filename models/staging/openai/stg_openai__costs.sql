/*
    OpenAI organization Costs API pages: one row per cost result of a daily bucket, in the
    shape of an invoice line (docs/landing-contract.md#invoices) so that it can stand in for a missing invoice,
    and one row per bucket without results (is_empty_bucket, no line).

    amount.value is dollars (a JSON number), amount.currency lower case; quantity is given
    when the page is grouped by line_item. The billing period is the UTC calendar month of the
    bucket. A page not grouped by line_item has results without one: each is still a line
    (its amount counts towards the month), with no model and token type `other`.

    line_item forms (the API reference's examples and line items published from real
    exports), read into model, token type and unit:
        '<model>, input'                      input (text; uncached where a cached line exists)
        '<model>, cached input'               cache_read
        '<model>, cache write(s)'             cache_write
        '<model>, output'                     output
        '<model> audio, input|cached input'   input_audio        '<model> audio, output'  output_audio
        '<model> image, input|cached input'   input_image        '<model> image, output'  output_image
        '<model> text, <kind>'                as '<model>, <kind>'
        '<model>, batch <kind>'               <kind>, service tier batch
        '<tier> | <model>, <kind>'            <kind>, service tier <tier> (priority, flex, batch, scale)
        '<model>, <kind>, long context'       <kind>, long-context price
        '<model>, training'                   other (fine-tuning training of the model)
        'web search tool calls'               web_search (calls)
        'file search tool calls'              file_search (calls)
        'code interpreter sessions'           code_execution (sessions)
        'vector storage', 'vector store storage', 'file search storage'   other (storage)
        'image models'                        other (image generation, no model)
    Any other form is kept as a line (token type `other`, no model: nothing is guessed) and
    line_reading says it was not recognised.

    Redelivery: a daily pull of "the last N days" lands each day N times. The latest file (by
    path) that holds a day's bucket wins; the results of the same day in earlier files are
    quarantined as superseded (record_issue), so the day is counted once. A result whose
    amount does not parse is quarantined too.
*/

{%- set tiers = ['priority', 'flex', 'batch', 'scale', 'default'] %}
{%- set modalities = ['audio', 'image', 'text'] %}

with

source as (
    select * from {{ source('openai', 'cost_pages') }}
),

{{ usage_page_ctes('source', 'start_time', 'end_time', unix_seconds=true) }},

renamed as (
    select
        *,
        {{ json_text('result_record', 'line_item') }} as line_item,
        lower(trim({{ json_text('result_record', 'line_item') }})) as line_item_normalised,
        {{ json_text('result_record', 'amount.value') }} as amount_landed,
        {{ dbt.safe_cast(json_text('result_record', 'amount.value'), 'decimal(38, 6)') }} as amount,
        upper({{ json_text('result_record', 'amount.currency') }}) as currency,
        {{ dbt.safe_cast(json_text('result_record', 'quantity'), 'decimal(38, 6)') }} as quantity,
        {{ json_text('result_record', 'quantity_unit') }} as quantity_unit,
        {{ json_text('result_record', 'project_id') }} as project_id,
        {{ json_text('result_record', 'api_key_id') }} as provider_api_key_id
    from results_located
),

-- '<tier> | ' in front and ', long context' behind are taken off first
line_items_tiered as (
    select
        *,
        {{ regex_extract('line_item_normalised', '^(' ~ tiers | join('|') ~ ') [|] ') }} as tier_prefix,
        line_item_normalised like '%, long context' as is_long_context
    from renamed
),

line_items_trimmed as (
    select
        *,
        case
            when tier_prefix is not null then substr(line_item_normalised, length(tier_prefix) + 4)
            else line_item_normalised
        end as line_item_rest
    from line_items_tiered
),

line_items_unsuffixed as (
    select
        *,
        case
            when is_long_context then substr(line_item_rest, 1, length(line_item_rest) - 14)
            else line_item_rest
        end as line_item_body
    from line_items_trimmed
),

line_items_split as (
    select
        *,
        trim({{ regex_extract('line_item_body', '^([^,]+),') }}) as line_head,
        trim({{ regex_extract('line_item_body', '^[^,]+,(.*)$') }}) as line_kind_text
    from line_items_unsuffixed
),

line_items_read as (
    select
        *,
        -- the model is the head's first word when it is a model id, followed at most by a modality
        case
            when {{ regex_matches('line_head', '^[a-z0-9][a-z0-9._:/-]*( (' ~ modalities | join('|') ~ '))?$') }}
                then {{ regex_extract('line_head', '^([^ ]+)') }}
        end as head_model,
        {{ regex_extract('line_head', ' (' ~ modalities | join('|') ~ ')$') }} as head_modality,
        case when line_kind_text like 'batch %' then 'batch' end as kind_tier,
        case when line_kind_text like 'batch %' then substr(line_kind_text, 7) else line_kind_text end
            as line_kind
    from line_items_split
),

lines_typed as (
    select
        *,
        case
            when result_record is null or head_model is null then null
            when coalesce(head_modality, 'text') = 'text' and line_kind = 'input' then 'input'
            when coalesce(head_modality, 'text') = 'text' and line_kind = 'cached input' then 'cache_read'
            when coalesce(head_modality, 'text') = 'text' and line_kind in ('cache write', 'cache writes')
                then 'cache_write'
            when coalesce(head_modality, 'text') = 'text' and line_kind = 'output' then 'output'
            when head_modality = 'audio' and line_kind in ('input', 'cached input') then 'input_audio'
            when head_modality = 'audio' and line_kind = 'output' then 'output_audio'
            when head_modality = 'image' and line_kind in ('input', 'cached input') then 'input_image'
            when head_modality = 'image' and line_kind = 'output' then 'output_image'
        end as model_token_type
    from line_items_read
),

lines_classified as (
    select
        *,
        case
            when result_record is null then null
            when model_token_type is not null then model_token_type
            when line_item_normalised = 'web search tool calls' then 'web_search'
            when line_item_normalised = 'file search tool calls' then 'file_search'
            when line_item_normalised = 'code interpreter sessions' then 'code_execution'
            else 'other'
        end as token_type,
        case
            when result_record is null then null
            when line_item_normalised is null then 'ungrouped: the page is not grouped by line_item'
            when model_token_type is not null then 'model tokens'
            when head_model is not null and head_modality is null and line_kind = 'training'
                then 'fine-tuning training'
            when line_item_normalised in ('web search tool calls', 'file search tool calls') then 'tool calls'
            when line_item_normalised = 'code interpreter sessions' then 'tool sessions'
            when line_item_normalised in ('vector storage', 'vector store storage', 'file search storage')
                then 'storage'
            when line_item_normalised = 'image models' then 'image generation without a model'
            else 'unrecognised line_item form: kept as an unmodelled charge'
        end as line_reading
    from lines_typed
),

deliveries_ranked as (
    select
        *,
        cast(bucket_start_at as date) as cost_date,
        -- only readable buckets of one UTC day take part
        max(case when {{ usage_bucket_is_one_utc_day() }} then delivery_key end) over (partition by bucket_start_at)
            as bucket_latest_file
    from lines_classified
),

checked as (
    select
        *,
        {{ cost_page_record_issue('costs page', 'start_time', 'end_time', 'amount') }} as record_issue
    from deliveries_ranked
),

final as (
    select
        {{ cost_page_line_columns('openai', ['delivery_key', 'cost_date', 'line_item', 'project_id', 'result_record']) }},
        coalesce(line_item, 'OpenAI costs (not grouped by line item)') as line_description,
        case when line_reading in ('model tokens', 'fine-tuning training') then head_model end as model,
        case
            when line_reading in ('model tokens', 'fine-tuning training') then {{ strip_model_id('head_model') }}
        end as model_lookup_key,
        token_type,
        line_reading,
        coalesce(tier_prefix, kind_tier) as service_tier,
        coalesce(is_long_context, false) as is_long_context,
        quantity,
        coalesce(
            quantity_unit,
            case
                when quantity is null then null
                when token_type in ('web_search', 'file_search') then 'calls'
                when token_type = 'code_execution' then 'sessions'
                when line_reading in ('model tokens', 'fine-tuning training') then 'tokens'
            end
        ) as unit,
        amount,
        currency,
        'usage' as charge_category,
        project_id,
        provider_api_key_id,
        result_record is null as is_empty_bucket,
        record_issue,
        raw_record
    from checked
)

select * from final
