{#
    In an incremental run, a condition that keeps only the records of files `relation` (the
    model being built) has not loaded yet: `<column> not in ('file', ...)`, written out as
    constants so that the file readers can skip the known files instead of reading them. Outside
    an incremental run, or when nothing is loaded yet: `1 = 1`.
#}
{% macro files_already_loaded(relation, column='source_file') -%}
    {%- if execute and is_incremental() -%}
        {%- set loaded = run_query('select distinct ' ~ column ~ ' from ' ~ relation ~ ' where ' ~ column ~ ' is not null') -%}
        {%- set files = [] -%}
        {%- for row in loaded.rows -%}
            {%- do files.append("'" ~ (row[0] | replace("'", "''")) ~ "'") -%}
        {%- endfor -%}
        {%- if files -%}
            {{ return(column ~ ' not in (' ~ files | join(', ') ~ ')') }}
        {%- endif -%}
    {%- endif -%}
    {{ return('1 = 1') }}
{%- endmacro %}
