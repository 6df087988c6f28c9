{#
    How the incremental ledger replaces re-priced rows, by engine: delete+insert by request_id
    on DuckDB and Postgres (portable, no MERGE needed); Spark overwrites date partitions
    (insert_overwrite) once the ledger is partitioned there.
#}
{% macro ledger_incremental_strategy() -%}
    {{ return(adapter.dispatch('ledger_incremental_strategy', 'ai_chargeback')()) }}
{%- endmacro %}

{% macro default__ledger_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__ledger_incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}
