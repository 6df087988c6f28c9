/*
    The landed file inventory, one row per file under the landing directory: where it is,
    which reader takes it and, when none can, why (file_issue). Its counterpart, what each
    reader made of a file, is counted in int_landed_files_accounted.
*/

with

source as (
    select * from {{ source('landing', 'landed_files') }}
),

renamed as (
    select
        ----------  ids
        _source_file as source_file,
        relative_path,

        ----------  where it landed and what reads it
        landing_folder,
        landed_entity,
        file_name,
        extension,
        reader_format,
        compression,

        ----------  numerics
        cast(size_bytes as {{ dbt.type_bigint() }}) as size_bytes,

        ----------  timestamps
        cast(modified_at as {{ dbt.type_timestamp() }}) as modified_at,

        ----------  why it cannot be read
        file_issue
    from source
)

select * from renamed
