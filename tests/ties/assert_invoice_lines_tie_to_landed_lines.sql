/*
    Nothing landed on the invoice side is lost: per invoice file, every landed line is either
    used (int_billed_lines_unioned, source_system = 'invoice') or quarantined. Fails with the
    files whose counts differ.
*/

with

landed as (
    select
        _source_file as source_file,
        count(*) as landed_lines
    from {{ source('invoices', 'invoice_lines') }}
    group by _source_file
),

used as (
    select
        source_file,
        count(*) as used_lines
    from {{ ref('int_billed_lines_unioned') }}
    where source_system = 'invoice'
    group by source_file
),

quarantined as (
    select
        source_file,
        sum(occurrences) as quarantined_lines
    from {{ ref('fct_quarantined_records') }}
    where landed_entity = 'invoice_lines'
    group by source_file
)

select
    landed.source_file,
    landed.landed_lines,
    coalesce(used.used_lines, 0) as used_lines,
    coalesce(quarantined.quarantined_lines, 0) as quarantined_lines
from landed
left join used
    on landed.source_file = used.source_file
left join quarantined
    on landed.source_file = quarantined.source_file
where landed.landed_lines <> coalesce(used.used_lines, 0) + coalesce(quarantined.quarantined_lines, 0)
