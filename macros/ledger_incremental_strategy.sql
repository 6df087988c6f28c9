{#
    How an incremental model of the ledger and its summaries replaces rows, by engine.
    `default` is the model's own strategy where the engine can delete rows: delete+insert by a
    key (fct_request_costs) or append after a pre-hook's delete (the daily and monthly
    summaries), on DuckDB and Postgres. Spark (parquet tables, no DELETE or MERGE) overwrites
    the partitions the run rebuilds (insert_overwrite, partitions from ledger_partition_by):
    the model then selects every row of each partition it touches.
#}
{% macro ledger_incremental_strategy(default='delete+insert') -%}
    {{ return(adapter.dispatch('ledger_incremental_strategy', 'ai_chargeback')(default)) }}
{%- endmacro %}

{% macro default__ledger_incremental_strategy(default) -%}
    {{ return(default) }}
{%- endmacro %}

{% macro spark__ledger_incremental_strategy(default) -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}
