{#
    A fingerprint of a record's content, to tell a redelivered record (same fingerprint) from
    a conflicting one among the records that share a match key. Only compared within one engine.

    Default: surrogate_key (md5 over the values as text). DuckDB: its own 64-bit hash of the
    typed values, as text: turning 18 typed values into text costs about 3 seconds per million
    records, the hash a tenth of it; a collision would need two records of the same call.
#}
{% macro content_hash(columns) -%}
    {{ return(adapter.dispatch('content_hash', 'ai_chargeback')(columns)) }}
{%- endmacro %}

{% macro default__content_hash(columns) -%}
    {{ surrogate_key(columns) }}
{%- endmacro %}

{% macro duckdb__content_hash(columns) -%}
    cast(hash({{ columns | join(', ') }}) as {{ dbt.type_string() }})
{%- endmacro %}
