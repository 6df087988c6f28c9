/*
    Landed records that could not enter the ledger, with the reason, so that nothing is lost:
    landed records = ledger rows + quarantined records (a data test checks it). Identical
    records in the same file are one row here, counted in `occurrences`.
*/

with

requests as (
    select * from {{ ref('int_requests_unioned') }}
    where record_issue is not null
),

described as (
    select
        case source_system
            when 'gateway' then 'gateway_requests'
            when 'litellm' then 'litellm_spend_logs'
            when 'otel' then 'otel_spans'
            when 'bedrock' then 'bedrock_invocation_logs'
        end as landed_entity,
        source_file,
        source_format,
        record_issue as quarantine_reason,
        request_id,
        substr(
            coalesce(
                raw_record,
                {{ dbt.concat([
                    "'request_id='", "coalesce(request_id, '')",
                    "' provider='", "coalesce(provider_logged, '')",
                    "' model='", "coalesce(model_logged, '')",
                ]) }}
            ),
            1,
            500
        ) as raw_text
    from requests
),

final as (
    select
        {{ surrogate_key(['landed_entity', 'source_file', 'quarantine_reason', 'raw_text']) }} as quarantined_record_id,
        landed_entity,
        source_file,
        source_format,
        quarantine_reason,
        request_id,
        raw_text,
        count(*) as occurrences
    from described
    group by
        landed_entity,
        source_file,
        source_format,
        quarantine_reason,
        request_id,
        raw_text
)

select * from final
