/*
    Every landed file that gave no record, listed as a warning on every build: quarantined
    files (why, in quarantine_reason) and empty ones (a blank JSON file, a CSV with a header
    only). A file that lands is read or shown; it is never ignored in silence.
*/

{{ config(severity='warn') }}

select
    relative_path,
    file_status,
    size_bytes,
    quarantine_reason
from {{ ref('fct_landed_files') }}
where file_status <> 'read'
