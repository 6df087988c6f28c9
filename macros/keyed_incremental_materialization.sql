{#
    The materialization of a narrow incremental model that replaces its rows by a key
    (delete+insert) and has no date to partition by (int_request_first_deliveries): incremental
    where the engine deletes rows (DuckDB, Postgres); a table rebuilt on every run on Spark,
    whose parquet tables can neither delete nor merge.
#}
{% macro keyed_incremental_materialization() -%}
    {{ return(adapter.dispatch('keyed_incremental_materialization', 'ai_chargeback')()) }}
{%- endmacro %}

{% macro default__keyed_incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__keyed_incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
