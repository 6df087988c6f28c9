/*
    Anthropic Admin API usage report pages (/v1/organizations/usage_report/messages), one row
    per result of a time bucket, and one row per bucket without results ("nothing used in that
    interval"). Every documented shape is read: any subset of group_by[] (api_key_id,
    workspace_id, model, service_tier, context_window, inference_geo, ...; a dimension the
    report was not grouped by is null), bucket widths 1d, 1h and 1m (a bucket is assigned to
    the UTC day it starts on; one that runs over a UTC midnight is quarantined).

    Token convention: uncached_input_tokens does NOT include the cache reads and writes (total
    input = uncached + 5-minute writes + 1-hour writes + reads), already the reconciliation's
    vocabulary; cache_write_tokens adds the 5-minute and 1-hour writes. Server tool use is
    carried: server_tool_use.web_search_requests as web_search_calls. The report has no
    request counts and no audio or image tokens.

    Nulls that mean something (API reference): workspace_id is null for the default
    workspace when the report is grouped by workspace, and api_key_id is null for usage in the
    Anthropic Console when it is grouped by API key. A dimension some result of the page
    carries is one the page was grouped by: a null workspace then reads as the workspace
    'default' (map it in provider_accounts like any workspace), a null key as usage without
    an API key (is_grouped_by_api_key).

    Redelivery: the latest file (by path) wins: a bucket is superseded when a later file holds
    a bucket with the same start, or gives the same UTC day in buckets of another width.
    record_issue (null for a usable row) names why a row is not compared; raw_record is the
    result (else the bucket, else the start of the document).
*/

{%- set counts = [
    'uncached_input_tokens', 'cache_read_input_tokens', 'cache_creation.ephemeral_5m_input_tokens',
    'cache_creation.ephemeral_1h_input_tokens', 'output_tokens', 'server_tool_use.web_search_requests',
] %}
{#- a count that landed but does not read #}
{%- set unreadable_checks = [] %}
{%- for count in counts %}
    {%- set column = count | replace('.', '__') %}
    {%- do unreadable_checks.append('(' ~ column ~ '_landed is not null and ' ~ column ~ ' is null)') %}
{%- endfor %}

with

source as (
    select * from {{ source('anthropic', 'usage_pages') }}
),

{{ usage_page_ctes('source', 'starting_at', 'ending_at') }},

renamed as (
    select
        *,
        {%- for count in counts %}
            {{ json_text('result_record', count) }} as {{ count | replace('.', '__') }}_landed,
            {{ to_token_count(json_text('result_record', count)) }} as {{ count | replace('.', '__') }},
        {%- endfor %}
        {{ json_text('result_record', 'model') }} as model_reported,
        {{ strip_model_id('lower(' ~ json_text('result_record', 'model') ~ ')') }} as model_lookup_key,
        {{ json_text('result_record', 'api_key_id') }} as provider_api_key_id,
        {{ json_text('result_record', 'workspace_id') }} as workspace_reported,
        {{ json_text('result_record', 'service_tier') }} as service_tier
    from results_located
),

pages_described as (
    select
        *,
        {{ usage_bucket_day_columns() }},
        -- one endpoint: every readable bucket is the messages usage report's
        case when bucket_record is not null then 'messages' end as page_kind,
        max(case when provider_api_key_id is not null then 1 else 0 end) over (partition by delivery_key)
            as page_grouped_by_api_key,
        max(case when workspace_reported is not null then 1 else 0 end) over (partition by delivery_key)
            as page_grouped_by_workspace
    from renamed
),

deliveries_ranked as (
    {{ usage_deliveries_ranked('pages_described') }}
),

checked as (
    select
        *,
        case
            {{ usage_bucket_checks('usage report page', 'starting_at', 'ending_at') }}
            when delivery_key < bucket_latest_file or bucket_seconds != day_latest_bucket_seconds
                then 'bucket delivered again: superseded by a later file of the same endpoint'
            when
                result_record is not null
                and (
                    {{ unreadable_checks | join('\n                    or ') }}
                    or uncached_input_tokens is null
                    or output_tokens is null
                )
                then 'missing or unreadable token count'
        end as record_issue
    from deliveries_ranked
),

final as (
    select
        {{ surrogate_key(['delivery_key', 'bucket_start_at', 'bucket_end_at', 'result_record', 'bucket_record']) }}
            as usage_result_id,
        source_file,
        'anthropic' as provider,
        bucket_start_at,
        bucket_end_at,
        bucket_seconds,
        usage_date,
        page_kind as usage_kind,
        model_reported,
        model_lookup_key,
        provider_api_key_id,
        cast(null as {{ dbt.type_string() }}) as project_id,
        coalesce(
            workspace_reported,
            case when result_record is not null and page_grouped_by_workspace = 1 then 'default' end
        ) as workspace_id,
        page_grouped_by_api_key = 1 as is_grouped_by_api_key,
        page_grouped_by_api_key = 1 or page_grouped_by_workspace = 1 as is_grouped_by_account,
        coalesce(service_tier = 'batch', false) as is_batch,
        service_tier,
        result_record is null as is_empty_bucket,
        coalesce(uncached_input_tokens, 0) as uncached_input_tokens,
        coalesce(cache_read_input_tokens, 0) as cache_read_tokens,
        coalesce(cache_creation__ephemeral_5m_input_tokens, 0)
        + coalesce(cache_creation__ephemeral_1h_input_tokens, 0) as cache_write_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as input_audio_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as output_audio_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as input_image_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
        coalesce(server_tool_use__web_search_requests, 0) as web_search_calls,
        cast(null as {{ dbt.type_bigint() }}) as requests,
        record_issue,
        raw_record
    from checked
)

select * from final
