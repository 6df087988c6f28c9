{#
    Makes the landed files addressable as relations in the landing schema, so that staging
    reads them through source() like any other table.

    DuckDB reads the files in place: one view per landed entity over whatever files exist now
    (JSON Lines, gzip-compressed or not, and Parquet for requests; CSV for invoices and platform
    costs). Every field is exposed as text as it landed, plus the file it came from and, for JSON
    Lines, the raw record, so that staging can cast, and quarantine what does not cast, without
    losing a record. A folder with no files yields an empty view of the same shape.

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
        {%- set schema = var('chargeback__landing_schema', 'landing') -%}
        {%- set root = landing_dir() -%}
        {%- set statements = ['create schema if not exists ' ~ schema] -%}
        {%- do statements.append(
            'create or replace view ' ~ schema ~ '.gateway_requests as '
            ~ duckdb__landing_gateway_requests_sql(root)
        ) -%}
        {%- for entity, folder in raw_line_sources().items() -%}
            {%- set relation_sql = duckdb__landing_raw_lines_sql([
                root ~ '/' ~ folder ~ '/**/*.jsonl',
                root ~ '/' ~ folder ~ '/**/*.jsonl.gz',
                root ~ '/' ~ folder ~ '/**/*.json.gz',
            ], raw_line_content_patch(entity)) -%}
            {%- if entity == 'litellm_spend_logs' and duckdb__landing_has_files(root ~ '/' ~ folder ~ '/**/*.csv') -%}
                {%- set relation_sql = relation_sql ~ '\nunion all\n'
                    ~ duckdb__landing_litellm_csv_sql(root ~ '/' ~ folder ~ '/**/*.csv') -%}
            {%- endif -%}
            {%- do statements.append(
                'create or replace view ' ~ schema ~ '.' ~ entity ~ ' as ' ~ relation_sql
            ) -%}
        {%- endfor -%}
        {%- for entity, folder in raw_document_sources().items() -%}
            {%- do statements.append(
                'create or replace view ' ~ schema ~ '.' ~ entity ~ ' as '
                ~ duckdb__landing_raw_documents_sql(root ~ '/' ~ folder ~ '/**/*.json')
            ) -%}
        {%- endfor -%}
        {%- for entity in ['invoice_lines', 'platform_costs'] -%}
            {%- set folder = 'invoices' if entity == 'invoice_lines' else entity -%}
            {%- do statements.append(
                'create or replace view ' ~ schema ~ '.' ~ entity ~ ' as '
                ~ duckdb__landing_csv_sql(root ~ '/' ~ folder ~ '/**/*.csv', landing_columns(entity))
            ) -%}
        {%- endfor -%}
        {{ return(statements | join(';\n')) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__landing_has_files(pattern) -%}
    {%- set result = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro duckdb__landing_empty_sql(columns, extra_columns) -%}
    select
    {%- for column in extra_columns + columns %}
        cast(null as varchar) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    where 1 = 0
{%- endmacro %}

{% macro duckdb__landing_gateway_requests_sql(root) -%}
    {%- set columns = landing_columns('gateway_requests') -%}
    {%- set extra = ['_source_file', '_source_format', '_source_line', '_raw_record'] -%}
    {%- set parts = [] -%}
    {%- set lines_sql = duckdb__landing_lines_sql([
        root ~ '/gateway_requests/**/*.jsonl',
        root ~ '/gateway_requests/**/*.jsonl.gz',
    ]) -%}
    {%- if lines_sql -%}
        {%- set paths = [] -%}
        {%- for column in columns -%}
            {%- do paths.append("'$." ~ column ~ "'") -%}
        {%- endfor -%}
        {%- set part -%}
            select
                filename as _source_file,
                'jsonl' as _source_format,
                _source_line,
                _raw_record,
                {%- for column in columns %}
                case when json_valid(_raw_record) then fields[{{ loop.index }}] end as {{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from (
                select
                    filename,
                    _source_line,
                    _raw_record,
                    case when json_valid(_raw_record) then json_extract_string(_raw_record, [{{ paths | join(', ') }}]) end as fields
                from ({{ lines_sql }}) as landed_lines
            )
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endif -%}
    {%- set parquet = root ~ '/gateway_requests/**/*.parquet' -%}
    {%- if duckdb__landing_has_files(parquet) -%}
        {%- set part -%}
            select
                filename as _source_file,
                'parquet' as _source_format,
                cast(file_row_number + 1 as varchar) as _source_line,
                cast(null as varchar) as _raw_record,
                {%- for column in columns %}
                cast({{ column }} as varchar) as {{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from read_parquet('{{ parquet }}', union_by_name = true, filename = true, file_row_number = true)
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endif -%}
    {%- if parts -%}
        {{ return(parts | join('\nunion all\n')) }}
    {%- else -%}
        {{ return(duckdb__landing_empty_sql(columns, extra)) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__landing_raw_documents_sql(pattern) -%}
    {%- if duckdb__landing_has_files(pattern) -%}
        {{ return("select filename as _source_file, content as _raw_document from read_text('" ~ pattern ~ "')") }}
    {%- else -%}
        {{ return(duckdb__landing_empty_sql([], ['_source_file', '_raw_document'])) }}
    {%- endif -%}
{%- endmacro %}

{#
    LiteLLM spend logs exported as CSV (a SQL export of LiteLLM_SpendLogs): each row becomes
    the JSON record a JSON Lines export would hold, so that one staging model reads both. The
    JSON columns (metadata, request_tags) are parsed back into JSON; messages and response are
    dropped unread. The CSV must have the metadata and request_tags columns.
#}
{% macro duckdb__landing_litellm_csv_sql(pattern) -%}
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
            select
                filename,
                columns(c -> c not in ('filename', 'messages', 'response'))
            from read_csv('{{ pattern }}', all_varchar = true, header = true, union_by_name = true, filename = true)
        ) as landed
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}

{#
    The non-blank lines of JSON Lines files with their line numbers (1-based, blank lines
    counted): plain files are read whole and split, so the number is exact; gzip-compressed files
    are read by the CSV reader, which knows no line numbers (null). Empty string when no file
    matches any pattern.
#}
{% macro duckdb__landing_lines_sql(patterns) -%}
    {%- set plain = [] -%}
    {%- set compressed = [] -%}
    {%- for pattern in patterns if duckdb__landing_has_files(pattern) -%}
        {%- if pattern.endswith('.gz') -%}
            {%- do compressed.append(pattern) -%}
        {%- else -%}
            {%- do plain.append(pattern) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- if plain -%}
        {%- set part -%}
            select filename, cast(_source_line as varchar) as _source_line, _raw_record
            from (
                select
                    filename,
                    generate_subscripts(string_split(content, chr(10)), 1) as _source_line,
                    unnest(string_split(content, chr(10))) as _raw_record
                from read_text([{%- for pattern in plain %}'{{ pattern }}'{{ ', ' if not loop.last }}{% endfor -%}])
            )
            where coalesce(trim(_raw_record), '') <> ''
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endif -%}
    {%- if compressed -%}
        {%- set part -%}
            select filename, cast(null as varchar) as _source_line, _raw_record
            from read_csv(
                [{%- for pattern in compressed %}'{{ pattern }}'{{ ', ' if not loop.last }}{% endfor -%}],
                columns = {'_raw_record': 'VARCHAR'},
                header = false,
                delim = E'\x1e',
                quote = '',
                escape = '',
                auto_detect = false,
                filename = true
            )
            where coalesce(trim(_raw_record), '') <> ''
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endif -%}
    {{ return(parts | join('\nunion all\n')) }}
{%- endmacro %}

{% macro duckdb__landing_raw_lines_sql(patterns, content_patch=none) -%}
    {%- set lines_sql = duckdb__landing_lines_sql(patterns) -%}
    {%- if lines_sql -%}
        {%- set record = '_raw_record' -%}
        {%- if content_patch -%}
            {%- set record = "case when json_valid(_raw_record) and json_type(_raw_record) = 'OBJECT' "
                ~ "then cast(json_merge_patch(_raw_record, '" ~ content_patch ~ "') as varchar) "
                ~ "else _raw_record end" -%}
        {%- endif -%}
        {{ return(
            "select filename as _source_file, 'jsonl' as _source_format, _source_line, "
            ~ record ~ " as _raw_record from (" ~ lines_sql ~ ") as landed_lines"
        ) }}
    {%- else -%}
        {{ return(duckdb__landing_empty_sql([], ['_source_file', '_source_format', '_source_line', '_raw_record'])) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__landing_csv_sql(pattern, columns) -%}
    {%- if duckdb__landing_has_files(pattern) -%}
        {%- set sql -%}
            select
                filename as _source_file,
                {%- for column in columns %}
                cast({{ column }} as varchar) as {{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from read_csv('{{ pattern }}', all_varchar = true, header = true, union_by_name = true, filename = true)
        {%- endset -%}
        {{ return(sql) }}
    {%- else -%}
        {{ return(duckdb__landing_empty_sql(columns, ['_source_file'])) }}
    {%- endif -%}
{%- endmacro %}
