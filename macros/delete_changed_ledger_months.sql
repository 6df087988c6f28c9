{#
    The pre-hook of int_scenario_units_counted in an incremental run: remove the reporting
    months whose ledger rows changed (ledger_periods_changed); the model counts them again.
#}
{% macro delete_changed_ledger_months(summary, ledger) -%}
    {{ return(adapter.dispatch('delete_changed_ledger_months', 'ai_chargeback')(summary, ledger)) }}
{%- endmacro %}

{% macro default__delete_changed_ledger_months(summary, ledger) -%}
    {%- set months = ledger_periods_changed(
        ledger, 'period_month', summary, 'period_month', 'ledger_rows', "counted_over = 'all_teams'"
    ) -%}
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
{% macro spark__delete_changed_ledger_months(summary, ledger) -%}
{%- endmacro %}
