/*
    Nothing landed is lost. Per request source: every staged record is a ledger row, a
    quarantined record or a duplicate of a call another source logged first; and for the
    sources landed one record per line (gateway JSON Lines and Parquet, LiteLLM, Bedrock) every
    landed line is a staged record. Returns a row (fails) for each source whose counts differ.
*/

with

landed as (
    select
        'gateway' as source_system,
        count(*) as landed_records
    from {{ source('gateway', 'requests') }}
    where coalesce(trim(_raw_record), 'parquet') <> ''
    union all
    select
        'litellm' as source_system,
        count(*) as landed_records
    from {{ source('litellm', 'spend_logs') }}
    union all
    select
        'bedrock' as source_system,
        count(*) as landed_records
    from {{ source('bedrock', 'invocation_logs') }}
),

staged as (
    select
        source_system,
        count(*) as staged_records,
        sum(case when record_issue is null and not is_duplicate then 1 else 0 end) as clean_records,
        sum(case when is_duplicate then 1 else 0 end) as duplicates
    from {{ ref('int_requests_unioned') }}
    group by source_system
),

ledger as (
    select
        source_system,
        count(*) as ledger_rows
    from {{ ref('fct_request_costs') }}
    group by source_system
),

{{ quarantined_records_by_entity() }},

compared as (
    select
        staged.source_system,
        landed.landed_records,
        staged.staged_records,
        coalesce(ledger.ledger_rows, 0) as ledger_rows,
        coalesce(quarantined.quarantined_records, 0) as quarantined_records,
        staged.duplicates
    from staged
    left join landed
        on staged.source_system = landed.source_system
    left join ledger
        on staged.source_system = ledger.source_system
    left join quarantined
        on quarantined.landed_entity = {{ request_landed_entity('staged.source_system') }}
)

select * from compared
where
    staged_records <> ledger_rows + quarantined_records + duplicates
    or (landed_records is not null and landed_records <> staged_records)
