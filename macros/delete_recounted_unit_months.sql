{#
    The pre-hook of int_scenario_units_counted in an incremental run: remove the reporting
    months that are counted again from the ledger (unit_months_to_count: recount), including a
    month that no longer has ledger rows. The months that are extended keep their rows until
    the model replaces them (delete+insert by period_month), since their new counts start from
    the old ones.
#}
{% macro delete_recounted_unit_months(summary, ledger) -%}
    {{ return(adapter.dispatch('delete_recounted_unit_months', 'ai_chargeback')(summary, ledger)) }}
{%- endmacro %}

{% macro default__delete_recounted_unit_months(summary, ledger) -%}
    {%- set months = unit_months_to_count(summary, ledger).recount -%}
    {%- if not months -%}
        {{ return('') }}
    {%- endif -%}
    delete from {{ summary }}
    where period_month in (
        {%- for month in months %}
            cast('{{ month }}' as date){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- Spark overwrites the partitions the model rebuilds (ledger_incremental_strategy): nothing to delete. -#}
{% macro spark__delete_recounted_unit_months(summary, ledger) -%}
{%- endmacro %}
