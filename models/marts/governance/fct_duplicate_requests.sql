/*
    Calls that arrived from more than one request source and were counted once: each row is a
    record kept out of the ledger because a record of a preferred source has the same provider
    response id (or request id), or a record delivered again (duplicate_kind says which). See
    int_requests_unioned for the key and the precedence: the first delivery is kept.
*/

with

requests as (
    select * from {{ ref('int_requests_unioned') }}
    -- only a key shared by several records has duplicates: the condition lets the join with
    -- the first deliveries start from those few keys instead of every record
    where records_with_match_key > 1 and is_duplicate
),

final as (
    select
        {{ surrogate_key(['source_system', 'request_id', 'source_file', 'source_line']) }} as duplicate_request_id,
        source_system,
        request_id,
        duplicate_kind,
        match_key,
        duplicate_of_source_system,
        duplicate_of_request_id,
        occurred_at,
        provider_logged,
        model_logged,
        input_tokens,
        output_tokens,
        source_file,
        source_line
    from requests
)

select * from final
