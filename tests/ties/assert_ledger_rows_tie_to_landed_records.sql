/*
    Nothing landed is lost: every landed gateway record is either a ledger row or a
    quarantined record. Returns a row (fails) when the counts differ.
*/

with

landed as (
    select count(*) as landed_records
    from {{ source('gateway', 'requests') }}
    where coalesce(trim(_raw_record), 'parquet') <> ''
),

ledger as (
    select count(*) as ledger_rows
    from {{ ref('fct_request_costs') }}
),

quarantined as (
    select coalesce(sum(occurrences), 0) as quarantined_records
    from {{ ref('fct_quarantined_records') }}
    where landed_entity = 'gateway_requests'
),

compared as (
    select
        landed.landed_records,
        ledger.ledger_rows,
        quarantined.quarantined_records
    from landed
    cross join ledger
    cross join quarantined
)

select * from compared
where landed_records <> ledger_rows + quarantined_records
