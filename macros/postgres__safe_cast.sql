{#
    dbt's safe_cast on Postgres: text that does not convert gives null, as DuckDB's try_cast
    does, through the functions of create_try_cast_functions. A decimal(p, s) is rounded to s
    decimals and is null when it needs more than p digits. Other types are cast as they are.
    DuckDB's try_cast is more lenient with odd text ('12.5' as an integer is 13 there, null
    here); well-formed values convert the same.
#}
{% macro postgres__safe_cast(field, type) -%}
    {%- set normalised = type | lower | replace(' ', '') -%}
    {%- set decimal = modules.re.match('^(decimal|numeric)\\((\\d+),(\\d+)\\)$', normalised) -%}
    {%- set functions = {
        'int': 'integer', 'integer': 'integer', 'int4': 'integer',
        'bigint': 'bigint', 'int8': 'bigint',
        'date': 'date',
        'timestamp': 'timestamp', 'timestampwithouttimezone': 'timestamp',
        'timestamptz': 'timestamptz', 'timestampwithtimezone': 'timestamptz',
    } -%}
    {%- if decimal -%}
        cast({{ target.schema }}.chargeback_try_numeric(cast({{ field }} as text), {{ decimal.group(2) }}, {{ decimal.group(3) }}) as {{ type }})
    {%- elif normalised in functions -%}
        {{ target.schema }}.chargeback_try_{{ functions[normalised] }}(cast({{ field }} as text))
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
