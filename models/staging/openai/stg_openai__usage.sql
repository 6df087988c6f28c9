/*
    OpenAI organization Usage API pages, one row per result of a time bucket, and one row per
    bucket without results (results: [], "nothing used in that interval"). Every documented
    shape is read: any group_by (a dimension the page was not grouped by is null), bucket
    widths 1d, 1h and 1m (a bucket is assigned to the UTC day it starts on; a bucket that runs
    over a UTC midnight cannot be, and is quarantined), and pages of every usage endpoint.

    Endpoints (the result's `object`, organization.usage.<kind>.result; a result without one is
    read as completions, the endpoint this folder is for):
        completions, embeddings, moderations  tokens and model requests, compared with the ledger
        web_searches                          web search calls (num_requests), provider side only
        images, audio_speeches, audio_transcriptions, vector_stores, code_interpreter_sessions,
        file_searches                         counted in images, characters, seconds, bytes,
                                              sessions or calls: quarantined (record_issue), the
                                              ledger has nothing to compare them with; their
                                              cost reaches the invoice side through the Costs API

    Token convention (the API reference): input_tokens is ALL input (text, audio and image;
    cached, cache-write and uncached); input_cached_tokens all cached input; input_audio_tokens
    and input_image_tokens the uncached audio and image input, input_cached_audio_tokens and
    input_cached_image_tokens their cached part; output_tokens all output, output_audio_tokens
    and output_image_tokens its audio and image part. The reconciliation's vocabulary keeps
    text apart, so that no token is counted twice:
        uncached_input_tokens  uncached text input (input_text_tokens, else input - cached -
                               cache writes - uncached audio - uncached image)
        cache_read_tokens      cached text input (input_cached_text_tokens, else cached -
                               cached audio - cached image)
        cache_write_tokens     input_cache_write_tokens
        output_tokens          text output (output_text_tokens, else output - audio - image)
        input_audio_tokens, input_image_tokens    uncached + cached
        output_audio_tokens, output_image_tokens  as reported
    A result whose parts exceed their total, or whose breakdown does not add up to it, is
    quarantined rather than guessed at.

    Redelivery: a daily pull of "the last 7 days" lands each day seven times. The latest file
    (by path) wins: a bucket is superseded when a later file of the same endpoint holds a
    bucket with the same start, or gives the same UTC day in buckets of another width. Pages
    of one pull (has_more / next_page) hold different buckets and never supersede each other.
    A page with no result at all cannot name its endpoint: its empty buckets still say "no
    use that day" but supersede nothing.

    record_issue (null for a usable row) names why a row is not compared: not a usage page,
    an unreadable or day-spanning bucket, a superseded bucket, an endpoint the ledger cannot be
    compared with, an unreadable count or counts that do not add up. raw_record is the result
    (else the bucket, else the start of the document) with user ids masked.
*/

{%- set counts = [
    'input_tokens', 'input_cached_tokens', 'input_cache_write_tokens', 'input_uncached_tokens',
    'input_text_tokens', 'input_cached_text_tokens', 'input_audio_tokens',
    'input_cached_audio_tokens', 'input_image_tokens', 'input_cached_image_tokens',
    'output_tokens', 'output_text_tokens', 'output_audio_tokens', 'output_image_tokens',
    'num_model_requests', 'num_requests',
] %}
{%- set required = {
    'completions': ['input_tokens', 'output_tokens', 'num_model_requests'],
    'embeddings': ['input_tokens', 'num_model_requests'],
    'moderations': ['input_tokens', 'num_model_requests'],
    'web_searches': ['num_requests'],
} %}
{#- a required count that is absent or unreadable, per endpoint; any count that landed but does not read #}
{%- set missing_checks = {} %}
{%- for kind, fields in required.items() %}
    {%- do missing_checks.update({kind: '(' ~ (fields | join(' is null or ')) ~ ' is null)'}) %}
{%- endfor %}
{%- set unreadable_checks = [] %}
{%- for count in counts %}
    {%- do unreadable_checks.append('(' ~ count ~ '_landed is not null and ' ~ count ~ ' is null)') %}
{%- endfor %}
{%- set not_compared = {
    'images': 'images',
    'audio_speeches': 'characters',
    'audio_transcriptions': 'seconds',
    'vector_stores': 'bytes',
    'code_interpreter_sessions': 'sessions',
    'file_searches': 'calls',
} %}

with

source as (
    select * from {{ source('openai', 'usage_pages') }}
),

{{ usage_page_ctes('source', 'start_time', 'end_time', unix_seconds=true) }},

renamed as (
    select
        *,
        {{ json_text('result_record', 'object') }} as result_object,
        case
            when result_record is null then null
            when {{ json_text('result_record', 'object') }} is null then 'completions'
            else coalesce(
                {{ regex_extract(json_text('result_record', 'object'), '^organization[.]usage[.]([a-z_]+)[.]result$') }},
                'unknown'
            )
        end as result_kind,
        {%- for count in counts %}
            {{ json_text('result_record', count) }} as {{ count }}_landed,
            {{ to_token_count(json_text('result_record', count)) }} as {{ count }},
        {%- endfor %}
        {{ json_text('result_record', 'model') }} as model_reported,
        {{ strip_model_id('lower(' ~ json_text('result_record', 'model') ~ ')') }} as model_lookup_key,
        {{ json_text('result_record', 'api_key_id') }} as provider_api_key_id,
        {{ json_text('result_record', 'project_id') }} as project_id,
        {{ to_bool(json_text('result_record', 'batch')) }} as is_batch,
        {{ json_text('result_record', 'service_tier') }} as service_tier
    from results_located
),

pages_described as (
    select
        *,
        {{ usage_bucket_day_columns() }},
        -- a page holds one endpoint's results: its empty buckets belong to the same endpoint
        max(result_kind) over (partition by delivery_key) as page_kind,
        -- a dimension some result of the page carries is one the page was grouped by: its
        -- null on another result is a value of its own (usage without an API key)
        max(case when provider_api_key_id is not null then 1 else 0 end) over (partition by delivery_key)
            as page_grouped_by_api_key,
        max(case when provider_api_key_id is not null or project_id is not null then 1 else 0 end)
            over (partition by delivery_key) as page_grouped_by_account
    from renamed
),

deliveries_ranked as (
    {{ usage_deliveries_ranked('pages_described') }}
),

tokens_split as (
    select
        *,
        case
            when result_kind = 'completions'
                then coalesce(
                    input_text_tokens,
                    coalesce(
                        input_uncached_tokens,
                        input_tokens - coalesce(input_cached_tokens, 0) - coalesce(input_cache_write_tokens, 0)
                    )
                    - coalesce(input_audio_tokens, 0)
                    - coalesce(input_image_tokens, 0)
                )
            when result_kind in ('embeddings', 'moderations') then input_tokens
            else 0
        end as uncached_text_tokens,
        case
            when result_kind = 'completions'
                then coalesce(
                    input_cached_text_tokens,
                    coalesce(input_cached_tokens, 0)
                    - coalesce(input_cached_audio_tokens, 0)
                    - coalesce(input_cached_image_tokens, 0)
                )
            else 0
        end as cached_text_tokens,
        case
            when result_kind = 'completions' then coalesce(input_cache_write_tokens, 0)
            else 0
        end as cache_written_tokens,
        case
            when result_kind = 'completions'
                then coalesce(
                    output_text_tokens,
                    output_tokens - coalesce(output_audio_tokens, 0) - coalesce(output_image_tokens, 0)
                )
            else 0
        end as output_text_only_tokens,
        case
            when result_kind = 'completions'
                then coalesce(input_audio_tokens, 0) + coalesce(input_cached_audio_tokens, 0)
            else 0
        end as audio_input_tokens,
        case
            when result_kind = 'completions'
                then coalesce(input_image_tokens, 0) + coalesce(input_cached_image_tokens, 0)
            else 0
        end as image_input_tokens
    from deliveries_ranked
),

checked as (
    select
        *,
        case
            {{ usage_bucket_checks('usage page', 'start_time', 'end_time') }}
            when
                page_kind is not null
                and (delivery_key < bucket_latest_file or bucket_seconds != day_latest_bucket_seconds)
                then 'bucket delivered again: superseded by a later file of the same endpoint'
            {%- for kind, unit in not_compared.items() %}
                when result_kind = '{{ kind }}'
                    then 'usage of {{ kind }} is not compared with the ledger (counted in {{ unit }})'
            {%- endfor %}
            when result_kind = 'unknown'
                then {{ dbt.concat(["'usage result of an unknown endpoint: '", 'result_object']) }}
            {%- for kind, fields in required.items() %}
                when result_kind = '{{ kind }}' and {{ missing_checks[kind] }}
                    then 'missing or unreadable token or request count'
            {%- endfor %}
            when {{ unreadable_checks | join('\n                or ') }}
                then 'missing or unreadable token or request count'
            when
                uncached_text_tokens < 0
                or cached_text_tokens < 0
                or output_text_only_tokens < 0
                or (
                    result_kind = 'completions'
                    and (
                        uncached_text_tokens + cached_text_tokens + cache_written_tokens
                        + audio_input_tokens + image_input_tokens != input_tokens
                        or output_text_only_tokens + coalesce(output_audio_tokens, 0)
                        + coalesce(output_image_tokens, 0) != output_tokens
                    )
                )
                then 'token counts do not add up: the breakdown differs from input_tokens or output_tokens'
        end as record_issue
    from tokens_split
),

final as (
    select
        {{ surrogate_key(['delivery_key', 'bucket_start_at', 'bucket_end_at', 'result_record', 'bucket_record']) }}
            as usage_result_id,
        source_file,
        'openai' as provider,
        bucket_start_at,
        bucket_end_at,
        bucket_seconds,
        usage_date,
        coalesce(result_kind, page_kind) as usage_kind,
        model_reported,
        model_lookup_key,
        provider_api_key_id,
        project_id,
        cast(null as {{ dbt.type_string() }}) as workspace_id,
        page_grouped_by_api_key = 1 as is_grouped_by_api_key,
        page_grouped_by_account = 1 as is_grouped_by_account,
        coalesce(is_batch, false) as is_batch,
        service_tier,
        result_record is null as is_empty_bucket,
        uncached_text_tokens as uncached_input_tokens,
        cached_text_tokens as cache_read_tokens,
        cache_written_tokens as cache_write_tokens,
        output_text_only_tokens as output_tokens,
        audio_input_tokens as input_audio_tokens,
        case when result_kind = 'completions' then coalesce(output_audio_tokens, 0) else 0 end
            as output_audio_tokens,
        image_input_tokens as input_image_tokens,
        case when result_kind = 'completions' then coalesce(output_image_tokens, 0) else 0 end
            as output_image_tokens,
        case when result_kind = 'web_searches' then num_requests else 0 end as web_search_calls,
        case when result_kind in ('completions', 'embeddings', 'moderations') then num_model_requests end
            as requests,
        record_issue,
        raw_record
    from checked
)

select * from final
