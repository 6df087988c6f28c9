/*
    Every file under the landing directory and what became of it, so that no file lands
    unread: `read` (its records are in the ledger, the invoices, the usage comparison or the
    quarantine), `empty` (its reader found no record in it) or `quarantined` (no reader can
    take it: the reason says why and what to do). Per landing folder, files present = files
    read + files empty + files quarantined (tests/ties/assert_landed_files_are_all_accounted_for).
*/

with

files as (
    select * from {{ ref('int_landed_files_accounted') }}
),

final as (
    select
        source_file,
        relative_path,
        landing_folder,
        landed_entity,
        reader_format,
        compression,
        size_bytes,
        modified_at,
        file_status,
        quarantine_reason,
        cast(records_landed as {{ dbt.type_bigint() }}) as records_landed,
        cast(records_quarantined as {{ dbt.type_bigint() }}) as records_quarantined,
        cast(records_duplicated as {{ dbt.type_bigint() }}) as records_duplicated,
        cast(records_landed - records_quarantined - records_duplicated as {{ dbt.type_bigint() }}) as records_used
    from files
)

select * from final
