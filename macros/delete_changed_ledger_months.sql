{#
    The pre-hook of int_scenario_units_counted in an incremental run: remove the reporting
    months whose ledger rows changed (ledger_periods_changed); the model counts them again.
#}
{% macro delete_changed_ledger_months(summary, ledger) -%}
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
