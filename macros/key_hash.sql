{#
    A narrow stand-in for a text key, to group or join many keys cheaply where a collision only
    costs a second look (the caller always compares the keys themselves afterwards). DuckDB: its
    64-bit hash as an unsigned integer. Default: md5 of the text (dbt.hash).
#}
{% macro key_hash(column) -%}
    {{ return(adapter.dispatch('key_hash', 'ai_chargeback')(column)) }}
{%- endmacro %}

{% macro default__key_hash(column) -%}
    {{ dbt.hash(column) }}
{%- endmacro %}

{% macro duckdb__key_hash(column) -%}
    hash({{ column }})
{%- endmacro %}
