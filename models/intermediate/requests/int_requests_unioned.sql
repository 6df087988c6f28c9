/*
    Every request-log source in one canonical stream, each call counted once.

    The records come from int_requests_landed (every staged record of the gateway log,
    LiteLLM spend logs, OpenTelemetry GenAI spans and Bedrock invocation logs, loaded once per
    file). Quarantined records (record_issue) pass through untouched, for
    fct_quarantined_records.

    The same call logged by two systems (a LiteLLM proxy and an OpenTelemetry instrumentation,
    say) is counted once (DECISIONS.md, "Several request sources"):
      - matching key: the provider's response id (provider_response_id) when the record has
        one, else the source's own request id;
      - precedence: gateway, then litellm, then otel, then bedrock (the first sees the tags,
        keys and retries best); within a source the first delivery wins (file name, then line):
        a record delivered again, identical or not, never replaces the one already counted.
    int_request_first_deliveries holds the record that counts for each key shared by several
    records (a key of one record is its record's own). The other records with the key are
    marked is_duplicate, with the request they duplicate
    (duplicate_of_request_id and its source), and kept out of the ledger;
    fct_duplicate_requests lists them with the kind of duplicate: the same call logged by
    another source, a redelivery of the same record (same content), or a record reusing a
    request id with other content (conflicting; the first delivery is kept and the conflict
    shown).
*/

with

landed as (
    select * from {{ ref('int_requests_landed') }}
),

first_deliveries as (
    select * from {{ ref('int_request_first_deliveries') }}
),

compared as (
    select
        landed.*,
        first_deliveries.first_request_id,
        first_deliveries.first_source_system,
        first_deliveries.first_content_hash,
        -- the record's own fields, fingerprinted only where its key is shared
        case
            when first_deliveries.match_key is not null
                then {{ content_hash(request_content_columns('landed.')) }}
        end as content_hash,
        case
            when first_deliveries.match_key is not null then first_deliveries.record_count
            when landed.match_key is not null then 1
        end as records_with_match_key,
        -- the record is not its key's first record (compared by their hashed identities)
        case
            when first_deliveries.match_key is null then false
            else
                {{ content_hash(['landed.source_system', 'landed.source_file', 'landed.record_seq']) }}
                <> first_deliveries.first_record_key
        end as is_duplicate
    from landed
    -- only the keys shared by several records are listed
    left join first_deliveries
        on landed.match_key = first_deliveries.match_key
),

final as (
    select
        *,
        case when is_duplicate then first_request_id end as duplicate_of_request_id,
        case when is_duplicate then first_source_system end as duplicate_of_source_system,
        case
            when not is_duplicate then null
            when first_source_system <> source_system then 'same call from another source'
            when first_content_hash = content_hash then 'redelivered record'
            else 'conflicting record: same request id, other content'
        end as duplicate_kind
    from compared
)

select * from final
