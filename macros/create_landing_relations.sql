{#
    Makes the landed files addressable as relations in the landing schema, so that staging
    reads them through source() like any other table.

    DuckDB reads the files in place. First the file inventory, `landing.landed_files`: every
    file under the landing directory, the folder it is in, the reader of that folder that takes
    it (by its extension, whatever its case) and, when it cannot be read, why (a file outside
    the landing folders, a format its folder does not read, an unreadable archive, text that is
    not UTF-8, a file that is not Parquet). It is a table, made once per dbt command, so that
    every reader and every test sees the same list. Then one view per landed entity over the
    readable files of its folder, each field as text as it landed, plus the file it came from:

    - JSON (request logs and API pages): a file is read whatever its wrapping (gzip or zstd,
      told by its first bytes, not its name) and its shape: one JSON document (an object is one
      record; an array, one record per element) or JSON Lines (one record per non-blank line).
      `_source_line` is the line, or the element's position in an array; `_source_format` is
      `jsonl` or `json`.
    - Parquet (gateway requests) and CSV (LiteLLM exports, invoices, platform costs).

    A folder with no readable files yields an empty view of the same shape.

    Other engines have no file reader in the warehouse: a load step fills tables of the same
    shape (see README, "Running on Postgres or Spark"), and this hook does nothing.
#}
{% macro create_landing_relations() -%}
    {{ return(adapter.dispatch('create_landing_relations', 'ai_chargeback')()) }}
{%- endmacro %}

{% macro default__create_landing_relations() -%}
    select 1 as landing_relations_are_loaded_by_the_load_step
{%- endmacro %}

{% macro duckdb__create_landing_relations() -%}
    {%- if execute -%}
        {%- set schema = var('chargeback__landing_schema') -%}
        {%- set root = landing_dir() -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- do run_query(
            'create or replace table ' ~ schema ~ '.landed_files as ' ~ duckdb__landed_files_sql(root)
        ) -%}
        {%- set readable = run_query(
            'select landed_entity, reader_format, compression, _source_file from ' ~ schema ~ '.landed_files'
            ~ ' where reader_format is not null and file_issue is null and size_bytes > 0'
            ~ ' order by landed_entity, reader_format, compression, _source_file'
        ) -%}
        {%- set files = {} -%}
        {%- for row in readable.rows -%}
            {%- do files.setdefault(row[0] ~ '/' ~ row[1], []).append(row) -%}
        {%- endfor -%}
        {%- set statements = [] -%}
        {%- for folder, reader in landing_folders().items() -%}
            {%- set entity = reader['entity'] -%}
            {%- set json_files = files.get(entity ~ '/json', []) | map(attribute=3) | list -%}
            {%- if entity == 'gateway_requests' -%}
                {%- set relation_sql = duckdb__landing_gateway_requests_sql(
                    json_files, files.get(entity ~ '/parquet', []) | map(attribute=3) | list
                ) -%}
            {%- elif entity in ['invoice_lines', 'platform_costs'] -%}
                {%- set relation_sql = duckdb__landing_csv_sql(
                    files.get(entity ~ '/csv', []), landing_columns(entity)
                ) -%}
            {%- else -%}
                {%- set relation_sql = duckdb__landing_json_records_sql(
                    json_files,
                    '_raw_document' if reader.get('pages') else '_raw_record',
                    entity,
                ) -%}
                {%- if entity == 'litellm_spend_logs' and files.get(entity ~ '/csv') -%}
                    {%- set relation_sql = relation_sql ~ '\nunion all\n'
                        ~ duckdb__landing_litellm_csv_sql(files.get(entity ~ '/csv')) -%}
                {%- endif -%}
            {%- endif -%}
            {%- do statements.append(
                'create or replace view ' ~ schema ~ '.' ~ entity ~ ' as ' ~ relation_sql
            ) -%}
        {%- endfor -%}
        {{ return(statements | join(';\n')) }}
    {%- endif -%}
{%- endmacro %}

{#
    The file inventory: every file under `root` (hidden ones too), its folder and reader, its
    compression, and why it cannot be read (null when it can). An empty file has nothing to
    read and no issue.
#}
{% macro duckdb__landed_files_sql(root) -%}
    {%- set folders = landing_folders() -%}
    {%- set extensions = landing_file_extensions() -%}
    {%- set suffixes = '\\.(' ~ landing_compression_suffixes() | join('|') ~ ')$' -%}
    {%- if not duckdb__landing_has_files(root ~ '/**') -%}
        {{ return(
            'select cast(null as varchar) as _source_file, cast(null as varchar) as relative_path,'
            ~ ' cast(null as varchar) as landing_folder, cast(null as varchar) as landed_entity,'
            ~ ' cast(null as varchar) as file_name, cast(null as varchar) as extension,'
            ~ ' cast(null as varchar) as reader_format, cast(null as bigint) as size_bytes,'
            ~ ' cast(null as timestamp) as modified_at, cast(null as varchar) as compression,'
            ~ ' cast(null as varchar) as file_issue where 1 = 0'
        ) }}
    {%- endif -%}
    {%- set sql -%}
        with files as (
            select
                filename as _source_file,
                size as size_bytes,
                timezone('UTC', last_modified) as modified_at,
                substr(filename, {{ root | length + 2 }}) as relative_path
            from read_blob('{{ root }}/**')
        ),
        named as (
            select
                *,
                case when strpos(relative_path, '/') > 0 then split_part(relative_path, '/', 1) end as landing_folder,
                regexp_extract(relative_path, '([^/]*)$', 1) as file_name
            from files
        ),
        suffixed as (
            select
                *,
                regexp_extract(lower(file_name), '{{ suffixes }}', 1) as compression_suffix,
                regexp_extract(
                    regexp_replace(lower(file_name), '{{ suffixes }}', ''), '^.+\.([^.]*)$', 1
                ) as extension
            from named
        ),
        classified as (
            select
                *,
                case landing_folder
                    {%- for folder, reader in folders.items() %}
                    when '{{ folder }}' then '{{ reader.entity }}'
                    {%- endfor %}
                end as landed_entity,
                case
                    {%- for folder, reader in folders.items() %}
                    {%- for format in reader.formats %}
                    when landing_folder = '{{ folder }}'
                        and extension in ('{{ extensions[format] | join("', '") }}')
                        then '{{ format }}'
                    {%- endfor %}
                    {%- endfor %}
                end as reader_format
            from suffixed
        ),
        final as (
            select
                _source_file,
                relative_path,
                landing_folder,
                landed_entity,
                file_name,
                extension,
                reader_format,
                size_bytes,
                modified_at,
                case when reader_format is not null then chargeback_landed_compression(_source_file) end as compression,
                case
                    when landing_folder is null
                        then 'a file at the top of the landing folder: move it into the folder of its source ({{ folders.keys() | join(", ") }})'
                    when landed_entity is null
                        then 'not a landing folder: the folders read are {{ folders.keys() | join(", ") }}'
                    when reader_format = 'parquet' and compression_suffix <> ''
                        then 'a compressed Parquet file: Parquet compresses its own pages, land it as .parquet'
                    when reader_format is null
                        then {{ dbt.concat([
                            "'a file named .'", "coalesce(nullif(extension, ''), '(no extension)')",
                            "' is not read in '", "landing_folder", "'/, which reads: '",
                            "case landing_folder "
                                ~ duckdb__landing_folder_formats_case(folders) ~ " end",
                        ]) }}
                    when size_bytes > 0 then chargeback_landed_file_issue(_source_file, reader_format)
                end as file_issue
            from classified
        )
        select * from final
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}

{#- `when '<folder>' then '<what it reads>'` for each folder, in words. #}
{% macro duckdb__landing_folder_formats_case(folders) -%}
    {%- set words = {
        'json': 'JSON (.json, .jsonl, .ndjson, .jsonlines or no extension)',
        'csv': 'CSV (.csv)',
        'parquet': 'Parquet (.parquet)',
    } -%}
    {%- set cases = [] -%}
    {%- for folder, reader in folders.items() -%}
        {%- set formats = [] -%}
        {%- for format in reader.formats -%}
            {%- do formats.append(words[format]) -%}
        {%- endfor -%}
        {%- do cases.append("when '" ~ folder ~ "' then '" ~ formats | join(' or ') ~ ", optionally gzip- or zstd-compressed'") -%}
    {%- endfor -%}
    {{ return(cases | join(' ')) }}
{%- endmacro %}

{% macro duckdb__landing_has_files(pattern) -%}
    {%- set result = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro duckdb__landing_file_list(files) -%}
    {%- set quoted = [] -%}
    {%- for file in files -%}
        {%- do quoted.append("'" ~ (file | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{ return('[' ~ quoted | join(', ') ~ ']') }}
{%- endmacro %}

{% macro duckdb__landing_empty_sql(columns, extra_columns) -%}
    select
    {%- for column in extra_columns + columns %}
        cast(null as varchar) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{%- endmacro %}

{#
    The records of JSON files, whatever their shape: one document (an object is a record, an
    array a record per element) or JSON Lines (a record per non-blank line, carriage returns
    removed). Documents are written back minified, so a record is one line of text wherever
    it came from. Columns: _source_file, _source_format, _source_line, and the record as
    `record_column`, without the prompt and response content of the landed `entity`
    (raw_record_without_content).
#}
{% macro duckdb__landing_json_records_sql(files, record_column='_raw_record', entity=none) -%}
    {%- if not files -%}
        {{ return(duckdb__landing_empty_sql([], ['_source_file', '_source_format', '_source_line', record_column])) }}
    {%- endif -%}
    {%- set record = raw_record_without_content(entity, 'landed_record') -%}
    {%- set sql -%}
        select
            _source_file,
            _source_format,
            _source_line,
            {{ record }} as {{ record_column }}
        from (
            with texts as (
                select
                    filename as _source_file,
                    chargeback_landed_text(content) as landed_text
                from read_blob({{ duckdb__landing_file_list(files) }})
            ),
            shaped as (
                select
                    _source_file,
                    landed_text,
                    case when json_valid(landed_text) then json_type(landed_text) end as document_type
                from texts
            ),
            lines as (
                select
                    _source_file,
                    generate_subscripts(string_split(landed_text, chr(10)), 1) as line_number,
                    unnest(string_split(landed_text, chr(10))) as landed_line
                from shaped
                where document_type is null or document_type not in ('OBJECT', 'ARRAY')
            ),
            elements as (
                select
                    _source_file,
                    generate_subscripts(elements, 1) as element_number,
                    unnest(elements) as element
                from (
                    -- guarded: the optimizer may evaluate an expression before a filter
                    select
                        _source_file,
                        case when document_type = 'ARRAY' then json_extract(landed_text, '$[*]') end as elements
                    from shaped
                    where document_type = 'ARRAY'
                )
            )
            select
                _source_file,
                'json' as _source_format,
                '1' as _source_line,
                cast(case when document_type = 'OBJECT' then json(landed_text) end as varchar) as landed_record
            from shaped
            where document_type = 'OBJECT'
            union all
            select _source_file, 'json', cast(element_number as varchar), cast(element as varchar)
            from elements
            union all
            select _source_file, 'jsonl', cast(line_number as varchar), rtrim(landed_line, chr(13))
            from lines
            where trim(landed_line) <> ''
        ) as landed_records
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}

{#
    The canonical gateway log: JSON records (any shape, as above) with the contract fields
    extracted as text, and Parquet files with each contract column cast to text. The Parquet
    files' schemas are read first (parquet_schema): a contract column that none of them has (a
    file written before the optional fields existed) reads as null instead of failing the
    reader; files that differ are read together by column name.
#}
{% macro duckdb__landing_gateway_requests_sql(json_files, parquet_files) -%}
    {%- set columns = landing_columns('gateway_requests') -%}
    {%- set extra = ['_source_file', '_source_format', '_source_line', '_raw_record'] -%}
    {%- set parts = [] -%}
    {%- if json_files -%}
        {%- set paths = [] -%}
        {%- for column in columns -%}
            {%- do paths.append("'$." ~ column ~ "'") -%}
        {%- endfor -%}
        {%- set part -%}
            select
                _source_file,
                _source_format,
                _source_line,
                _raw_record,
                {%- for column in columns %}
                fields[{{ loop.index }}] as {{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from (
                select
                    *,
                    case
                        when json_valid(_raw_record) and json_type(_raw_record) = 'OBJECT'
                            then json_extract_string(_raw_record, [{{ paths | join(', ') }}])
                    end as fields
                from ({{ duckdb__landing_json_records_sql(json_files) }}) as landed_records
            )
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endif -%}
    {%- if parquet_files -%}
        {%- set present = run_query(
            'select distinct lower(name) from parquet_schema('
            ~ duckdb__landing_file_list(parquet_files) ~ ')'
        ).columns[0].values() | list -%}
        {%- set part -%}
            select
                filename as _source_file,
                'parquet' as _source_format,
                cast(file_row_number + 1 as varchar) as _source_line,
                cast(null as varchar) as _raw_record,
                {%- for column in columns %}
                {%- if column in present %}
                cast({{ column }} as varchar) as {{ column }}{{ ',' if not loop.last }}
                {%- else %}
                cast(null as varchar) as {{ column }}{{ ',' if not loop.last }}
                {%- endif %}
                {%- endfor %}
            from read_parquet(
                {{ duckdb__landing_file_list(parquet_files) }}, union_by_name = true, filename = true, file_row_number = true
            )
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endif -%}
    {%- if parts -%}
        {{ return(parts | join('\nunion all\n')) }}
    {%- else -%}
        {{ return(duckdb__landing_empty_sql(columns, extra)) }}
    {%- endif -%}
{%- endmacro %}

{#
    CSV files, read together by column name (a file may lack a column or order them its own
    way), every field as text. `files`: (entity, format, compression, path) rows; each
    compression is read with its own reader call, since it is told by the content, not the name.
#}
{% macro duckdb__landing_csv_reads(files, select_list) -%}
    {%- set by_compression = {} -%}
    {%- for row in files -%}
        {%- do by_compression.setdefault(row[2], []).append(row[3]) -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for compression, paths in by_compression.items() -%}
        {%- do parts.append(
            'select ' ~ select_list ~ ' from read_csv(' ~ duckdb__landing_file_list(paths)
            ~ ", all_varchar = true, header = true, union_by_name = true, filename = true, compression = '"
            ~ compression ~ "') as landed"
        ) -%}
    {%- endfor -%}
    {{ return(parts | join('\nunion all by name\n')) }}
{%- endmacro %}

{% macro duckdb__landing_csv_sql(files, columns) -%}
    {%- if not files -%}
        {{ return(duckdb__landing_empty_sql(columns, ['_source_file'])) }}
    {%- endif -%}
    {%- set casts = ['filename as _source_file'] -%}
    {%- for column in columns -%}
        {%- do casts.append('cast(' ~ column ~ ' as varchar) as ' ~ column) -%}
    {%- endfor -%}
    {{ return(duckdb__landing_csv_reads(files, casts | join(', '))) }}
{%- endmacro %}

{#
    LiteLLM spend logs exported as CSV (a SQL export of LiteLLM_SpendLogs): each row becomes
    the JSON record a JSON Lines export would hold, so that one staging model reads both. The
    JSON columns (metadata, request_tags) are parsed back into JSON; messages and response are
    dropped unread. The CSV must have the metadata and request_tags columns.
#}
{% macro duckdb__landing_litellm_csv_sql(files) -%}
    {%- set sql -%}
        select
            filename as _source_file,
            'csv' as _source_format,
            cast(null as varchar) as _source_line,
            cast(json_merge_patch(
                to_json(landed),
                json_object(
                    'filename', null,
                    'metadata', try_cast(landed.metadata as json),
                    'request_tags', try_cast(landed.request_tags as json)
                )
            ) as varchar) as _raw_record
        from (
            {{ duckdb__landing_csv_reads(files, "filename, columns(c -> c not in ('filename', 'messages', 'response'))") }}
        ) as landed
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}
