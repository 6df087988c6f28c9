/*
    One bad record never fails the build: it is quarantined. A source whose quarantined share
    passes `chargeback__max_quarantine_share` is not fit to bill from (a broken export, a
    changed format): fails with each landed entity over the threshold, its counts and share.
*/

with

staged as (
    select
        {{ request_landed_entity('source_system') }} as landed_entity,
        count(*) as landed_records
    from {{ ref('int_requests_unioned') }}
    group by source_system
    union all
    select
        'invoice_lines' as landed_entity,
        count(*) as landed_records
    from {{ ref('stg_invoices__invoice_lines') }}
),

{{ quarantined_records_by_entity() }},

shares as (
    select
        staged.landed_entity,
        staged.landed_records,
        coalesce(quarantined.quarantined_records, 0) as quarantined_records
    from staged
    left join quarantined
        on staged.landed_entity = quarantined.landed_entity
)

select
    landed_entity,
    landed_records,
    quarantined_records
from shares
where quarantined_records > {{ var('chargeback__max_quarantine_share') }} * landed_records
