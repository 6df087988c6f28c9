/*
    Every request-log source in one canonical stream, each call counted once.

    The records come from int_requests_landed (every staged record of the gateway log,
    LiteLLM spend logs, OpenTelemetry GenAI spans and Bedrock invocation logs, loaded once per
    file). Quarantined records (record_issue) pass through untouched, for
    fct_quarantined_records. A table, rebuilt on every run over all records: which record
    counts first can change when a new file brings a record of a preferred source.

    The same call logged by two systems (a LiteLLM proxy and an OpenTelemetry instrumentation,
    say) is counted once (DECISIONS.md, "Several request sources"):
      - matching key: the provider's response id (provider_response_id) when the record has
        one, else the source's own request id;
      - precedence: gateway, then litellm, then otel, then bedrock (the first sees the tags,
        keys and retries best); within a source the first delivery wins (file name, then line):
        a record delivered again, identical or not, never replaces the one already counted.
    The other records with the same key are marked is_duplicate, with the request they
    duplicate (duplicate_of_request_id and its source), and kept out of the ledger;
    fct_duplicate_requests lists them with the kind of duplicate: the same call logged by
    another source, a redelivery of the same record (same content), or a record reusing a
    request id with other content (conflicting; the first delivery is kept and the conflict
    shown).
*/

{{ config(materialized='table') }}

with

unioned as (
    select * from {{ ref('int_requests_landed') }}
),

keyed as (
    select
        *,
        case
            when record_issue is null then coalesce(provider_response_id, request_id)
        end as match_key,
        {{ surrogate_key([
            'occurred_at', 'provider_logged', 'model_logged', 'api_key_id', 'status_code',
            'attempt_number', 'is_batch', 'is_gateway_cache_hit', 'input_tokens', 'cache_read_tokens',
            'cache_write_tokens', 'cache_write_1h_tokens', 'output_tokens', 'team_tag', 'product_tag',
            'environment_tag', 'scenario_tag', 'unit_id',
        ]) }} as content_hash
    from unioned
),

ranked as (
    select
        *,
        case
            when match_key is not null
                then row_number() over (
                    partition by match_key
                    order by source_precedence, request_id, source_file, source_line
                )
        end as match_rank,
        case
            when match_key is not null
                then first_value(request_id) over (
                    partition by match_key
                    order by source_precedence, request_id, source_file, source_line
                    rows between unbounded preceding and unbounded following
                )
        end as first_request_id,
        case
            when match_key is not null
                then first_value(source_system) over (
                    partition by match_key
                    order by source_precedence, request_id, source_file, source_line
                    rows between unbounded preceding and unbounded following
                )
        end as first_source_system,
        case
            when match_key is not null
                then first_value(content_hash) over (
                    partition by match_key
                    order by source_precedence, request_id, source_file, source_line
                    rows between unbounded preceding and unbounded following
                )
        end as first_content_hash
    from keyed
),

final as (
    select
        *,
        coalesce(match_rank > 1, false) as is_duplicate,
        case when match_rank > 1 then first_request_id end as duplicate_of_request_id,
        case when match_rank > 1 then first_source_system end as duplicate_of_source_system,
        case
            when match_rank = 1 or match_rank is null then null
            when first_source_system != source_system then 'same call from another source'
            when first_content_hash = content_hash then 'redelivered record'
            else 'conflicting record: same request id, other content'
        end as duplicate_kind
    from ranked
)

select * from final
