/*
    Calls that arrived from more than one request source and were counted once: each row is a
    record kept out of the ledger because a record of a preferred source has the same provider
    response id (or request id). See int_requests_unioned for the key and the precedence.
*/

with

requests as (
    select * from {{ ref('int_requests_unioned') }}
    where is_duplicate
),

final as (
    select
        {{ surrogate_key(['source_system', 'request_id', 'source_file']) }} as duplicate_request_id,
        source_system,
        request_id,
        match_key,
        duplicate_of_source_system,
        duplicate_of_request_id,
        occurred_at,
        provider_logged,
        model_logged,
        input_tokens,
        output_tokens,
        source_file
    from requests
)

select * from final
