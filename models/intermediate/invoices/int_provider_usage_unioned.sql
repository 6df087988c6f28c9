/*
    What the providers say was used: the OpenAI Usage API and the Anthropic usage report in
    one shape, one row per usable result or empty bucket (staging's record_issue rows, and the
    results of endpoints the ledger cannot be compared with, stay out; staging names them).
    Token types are already in the reconciliation's vocabulary (staging converts each
    provider's convention); models are resolved through model_aliases and the price
    catalogue's matching rules like the ledger's; each provider account is mapped to the
    gateway key and team it belongs to (seed provider_accounts: the provider API key's row
    first, then the project's or workspace's). An unmapped account keeps its provider id,
    prefixed with the provider; usage without an API key in a page grouped by key (the
    Anthropic Console) is '<provider>:no api key' and is not mapped through its workspace.

    Which grain each provider day is compared at (comparison_grain): a result names a model
    only when its page was grouped by model, an account only when grouped by API key, project
    or workspace. A provider's UTC day is compared at the finest grain that ALL its results
    carry: day_model_key (every result names a model and an account), day_model, day_key, or
    day (a page without group_by, the API's default). So one ungrouped page, or an ungrouped
    endpoint beside a grouped one, brings the whole day to the coarser grain: coarser, never
    wrong, and no token counted at two grains. A day with empty buckets only is compared at
    the finest grain (nothing on the provider side to sum). is_partial_day marks a day whose
    buckets cover less than 24 hours (a pull made during the day, a missing hourly page).
*/

{%- set usage_columns = [
    'usage_result_id', 'source_file', 'provider', 'bucket_start_at', 'bucket_seconds', 'usage_date',
    'usage_kind', 'model_lookup_key', 'provider_api_key_id', 'project_id', 'workspace_id',
    'is_grouped_by_api_key', 'is_grouped_by_account', 'is_empty_bucket', 'uncached_input_tokens',
    'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'input_audio_tokens',
    'output_audio_tokens', 'input_image_tokens', 'output_image_tokens', 'web_search_calls', 'requests',
] %}

with

openai_usage as (
    select * from {{ ref('stg_openai__usage') }}
    where
        record_issue is null
        -- the endpoints compared with the ledger; a page with no result names none
        and (usage_kind in ('completions', 'embeddings', 'moderations', 'web_searches') or usage_kind is null)
),

anthropic_usage as (
    select * from {{ ref('stg_anthropic__usage') }}
    where record_issue is null
),

model_aliases as (
    select * from {{ ref('model_aliases') }}
),

provider_accounts as (
    select * from {{ ref('provider_accounts') }}
),

unioned as (
    select
        {{ usage_columns | join(',\n        ') }}
    from openai_usage
    union all
    select
        {{ usage_columns | join(',\n        ') }}
    from anthropic_usage
),

models_resolved as (
    {{ model_aliases_resolved('unioned', 'model_aliases', 'unioned.usage_date') }}
),

models_matched as (
    {{ catalogue_models_matched('models_resolved') }}
),

accounts_mapped as (
    select
        models_matched.*,
        coalesce(by_key.api_key_id, by_group.api_key_id) as mapped_api_key_id,
        coalesce(by_key.team_id, by_group.team_id) as mapped_team_id
    from models_matched
    left join provider_accounts as by_key
        on models_matched.provider = by_key.provider
        and by_key.account_type = 'api_key'
        and models_matched.provider_api_key_id = by_key.account_id
    left join provider_accounts as by_group
        on models_matched.provider = by_group.provider
        and by_group.account_type in ('project', 'workspace')
        and coalesce(models_matched.project_id, models_matched.workspace_id) = by_group.account_id
        -- usage without a key in a page grouped by key did not come through a gateway key
        and not (models_matched.is_grouped_by_api_key and models_matched.provider_api_key_id is null)
),

days_described as (
    select
        *,
        min(
            case when is_empty_bucket then 1 when model_canonical is not null then 1 else 0 end
        ) over (partition by provider, usage_date) as day_has_model,
        min(
            case when is_empty_bucket then 1 when is_grouped_by_account then 1 else 0 end
        ) over (partition by provider, usage_date) as day_has_account
    from accounts_mapped
),

buckets_distinct as (
    select distinct
        provider,
        usage_date,
        usage_kind,
        bucket_start_at,
        bucket_seconds
    from unioned
),

-- the seconds of the day the buckets cover, for the endpoint that covers most of it
kind_coverage as (
    select
        provider,
        usage_date,
        usage_kind,
        sum(bucket_seconds) as covered_seconds
    from buckets_distinct
    group by
        provider,
        usage_date,
        usage_kind
),

day_coverage as (
    select
        provider,
        usage_date,
        max(covered_seconds) as covered_seconds
    from kind_coverage
    group by
        provider,
        usage_date
),

final as (
    select
        days_described.usage_result_id,
        days_described.provider,
        days_described.usage_date,
        days_described.bucket_start_at,
        days_described.bucket_seconds,
        days_described.usage_kind,
        case
            when days_described.day_has_model = 1 and days_described.day_has_account = 1 then 'day_model_key'
            when days_described.day_has_model = 1 then 'day_model'
            when days_described.day_has_account = 1 then 'day_key'
            else 'day'
        end as comparison_grain,
        day_coverage.covered_seconds < 86400 as is_partial_day,
        days_described.model_canonical,
        coalesce(
            days_described.mapped_api_key_id,
            {{ dbt.concat([
                'days_described.provider', "':'",
                "coalesce(days_described.provider_api_key_id,"
                ~ " case when days_described.is_grouped_by_api_key then 'no api key' end,"
                ~ " days_described.project_id, days_described.workspace_id, 'no account')",
            ]) }}
        ) as api_key_id,
        days_described.mapped_api_key_id is not null as is_mapped_account,
        days_described.is_grouped_by_account,
        days_described.mapped_team_id as team_id,
        days_described.is_empty_bucket,
        days_described.uncached_input_tokens,
        days_described.cache_read_tokens,
        days_described.cache_write_tokens,
        days_described.output_tokens,
        days_described.input_audio_tokens,
        days_described.output_audio_tokens,
        days_described.input_image_tokens,
        days_described.output_image_tokens,
        days_described.web_search_calls,
        days_described.requests,
        days_described.source_file
    from days_described
    inner join day_coverage
        on days_described.provider = day_coverage.provider
        and days_described.usage_date = day_coverage.usage_date
)

select * from final
