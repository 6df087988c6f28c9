/*
    No file lands unread. Per landing folder, the files the landing hook found are the files
    read + the files empty + the files quarantined (fct_landed_files); and every file a reader
    took records from is in the inventory as readable. Fails with each folder whose counts
    differ and each file read although the inventory quarantined it or never listed it.
*/

with

inventory as (
    select * from {{ source('landing', 'landed_files') }}
),

landed_files as (
    select * from {{ ref('fct_landed_files') }}
),

files_read as (
    select distinct source_file from {{ ref('int_requests_unioned') }}
    union
    select distinct source_file from {{ ref('stg_invoices__invoice_lines') }}
    union
    select distinct source_file from {{ ref('stg_platform__costs') }}
),

present_per_folder as (
    select
        coalesce(landing_folder, '(top)') as landing_folder,
        count(*) as files_present
    from inventory
    group by coalesce(landing_folder, '(top)')
),

accounted_per_folder as (
    select
        coalesce(landing_folder, '(top)') as landing_folder,
        sum(case when file_status = 'read' then 1 else 0 end) as files_read,
        sum(case when file_status = 'empty' then 1 else 0 end) as files_empty,
        sum(case when file_status = 'quarantined' then 1 else 0 end) as files_quarantined
    from landed_files
    group by coalesce(landing_folder, '(top)')
),

folders_compared as (
    select
        coalesce(present_per_folder.landing_folder, accounted_per_folder.landing_folder) as landing_folder,
        cast(null as {{ dbt.type_string() }}) as source_file,
        coalesce(present_per_folder.files_present, 0) as files_present,
        coalesce(accounted_per_folder.files_read, 0) as files_read,
        coalesce(accounted_per_folder.files_empty, 0) as files_empty,
        coalesce(accounted_per_folder.files_quarantined, 0) as files_quarantined
    from present_per_folder
    full outer join accounted_per_folder
        on present_per_folder.landing_folder = accounted_per_folder.landing_folder
),

files_read_unlisted as (
    select
        inventory.landing_folder,
        files_read.source_file,
        0 as files_present,
        1 as files_read,
        0 as files_empty,
        0 as files_quarantined
    from files_read
    left join inventory
        on files_read.source_file = inventory._source_file
    where inventory._source_file is null or inventory.file_issue is not null
)

select * from folders_compared
where files_present <> files_read + files_empty + files_quarantined
union all
select * from files_read_unlisted
