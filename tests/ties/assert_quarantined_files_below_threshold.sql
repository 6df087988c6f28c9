/*
    A file no reader can take never fails the build by itself: it is listed in
    fct_landed_files with the reason. A landing folder whose quarantined files hold more than
    `chargeback__max_quarantined_file_share` of its bytes is not fit to bill from (a format
    the folder does not read, an export saved in another encoding): fails with each such
    folder and the reasons of its files. Files outside the landing folders count as a folder
    of their own.
*/

with

landed_files as (
    select * from {{ ref('fct_landed_files') }}
),

per_folder as (
    select
        coalesce(landing_folder, '(top of the landing directory)') as landing_folder,
        count(*) as files_present,
        sum(case when file_status = 'quarantined' then 1 else 0 end) as files_quarantined,
        sum(size_bytes) as bytes_present,
        sum(case when file_status = 'quarantined' then size_bytes else 0 end) as bytes_quarantined,
        max(quarantine_reason) as a_quarantine_reason
    from landed_files
    group by coalesce(landing_folder, '(top of the landing directory)')
)

select * from per_folder
where
    files_quarantined > 0
    and bytes_quarantined > {{ var('chargeback__max_quarantined_file_share') }} * bytes_present
