{#
    The partition column of an incremental ledger model where the engine replaces whole
    partitions (Spark's insert_overwrite: a date, `period_month` or `occurred_on`); none
    elsewhere. Spark stores partition columns last in the table.
#}
{% macro ledger_partition_by(column) -%}
    {{ return(adapter.dispatch('ledger_partition_by', 'ai_chargeback')(column)) }}
{%- endmacro %}

{% macro default__ledger_partition_by(column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__ledger_partition_by(column) -%}
    {{ return([column]) }}
{%- endmacro %}
